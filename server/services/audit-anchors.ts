/**
 * Anchors of the audit chain outside the database (issue 18, item 8): the head (rows, last
 * seq, last hash, first keyed seq) appended as one JSON line to a file under DATA_DIR, with a
 * MAC under the audit key. Whoever deletes the newest audit rows cannot delete them from this
 * file too unless he also holds the server's file system; archive the file off the machine
 * (README, "Audit trail") to take that away as well.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AuditRepository } from '../repositories/audit-repository.ts';
import type { AuditAnchor, AuditChain, VerifyResult } from './audit-chain.ts';

export interface AnchorFileContent {
  anchors: AuditAnchor[];
  /** Lines that are not a valid anchor signed with this key (1-based line numbers). */
  problems: { line: number; message: string }[];
}

/** Takes the head now and appends it; null when the trail is empty. */
export async function anchorHead(
  repo: AuditRepository,
  chain: AuditChain,
  file: string,
  node: string,
): Promise<AuditAnchor | null> {
  const head = await repo.head();
  if (!head) return null;
  const anchor: AuditAnchor = { at: new Date().toISOString(), ...head };
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  await fs.promises.appendFile(
    file,
    `${JSON.stringify({ ...anchor, node, mac: chain.anchorMac(anchor) })}\n`,
    { mode: 0o600 },
  );
  return anchor;
}

export function readAnchors(file: string, chain: AuditChain): AnchorFileContent {
  if (!fs.existsSync(file)) return { anchors: [], problems: [] };
  const anchors: AuditAnchor[] = [];
  const problems: AnchorFileContent['problems'] = [];
  fs.readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, i) => {
      if (text.trim() === '') return;
      try {
        const v = JSON.parse(text) as Record<string, unknown>;
        const anchor: AuditAnchor = {
          at: String(v.at),
          rows: Number(v.rows),
          lastSeq: Number(v.lastSeq),
          lastHash: String(v.lastHash),
          firstKeyedSeq:
            v.firstKeyedSeq === null || v.firstKeyedSeq === undefined
              ? null
              : Number(v.firstKeyedSeq),
        };
        if (v.mac !== chain.anchorMac(anchor))
          problems.push({ line: i + 1, message: 'not signed with this audit key' });
        else anchors.push(anchor);
      } catch {
        problems.push({ line: i + 1, message: 'not a JSON anchor' });
      }
    });
  return { anchors, problems };
}

/** Walk the whole chain and compare it with every anchor in the file (when there is one). */
export async function verifyAuditTrail(
  repo: AuditRepository,
  chain: AuditChain,
  anchorFile: string | null,
): Promise<VerifyResult & { anchorFile: string | null }> {
  const { anchors, problems } = anchorFile
    ? readAnchors(anchorFile, chain)
    : { anchors: [], problems: [] };
  const result = await chain.verify(repo.pages(), anchors);
  const bad = problems[0];
  if (result.ok && bad)
    return {
      ...result,
      ok: false,
      reason: `anchor file ${anchorFile} line ${bad.line}: ${bad.message}`,
      anchorFile,
    };
  return { ...result, anchorFile };
}
