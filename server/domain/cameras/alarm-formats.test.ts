import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AlarmFormatError, parseAlarmXml, parseJsonAlarm } from './alarm-formats.ts';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const read = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

function failure(f: () => unknown): AlarmFormatError {
  try {
    f();
  } catch (err) {
    if (err instanceof AlarmFormatError) return err;
    throw err;
  }
  throw new Error('no error');
}

describe('Hikvision ISAPI EventNotificationAlert', () => {
  it('reads channel, time with its offset, pan and tilt in tenths of a degree', () => {
    const a = parseAlarmXml(read('isapi-fire-detection.xml'));
    expect(a.format).toBe('isapi');
    expect(a.channel).toBe(2);
    expect(a.observedAt.toISOString()).toBe('2026-03-14T02:21:07.000Z'); // 10:21:07 at +08:00
    expect(a.active).toBe(true);
    expect(a.panDeg).toBeCloseTo(123.5, 9);
    expect(a.tiltDeg).toBeCloseTo(5.2, 9);
    expect(a.deviceId).toBe('a4:14:37:5e:90:21');
  });

  it('an inactive event is read as the alarm ending', () => {
    const xml = read('isapi-fire-detection.xml').replace(
      '<eventState>active',
      '<eventState>inactive',
    );
    expect(parseAlarmXml(xml).active).toBe(false);
  });

  it('malformed XML is a 400 naming the part it came in', () => {
    const xml = read('isapi-fire-detection.xml').replace('</channelID>', '</channel>');
    const err = failure(() => parseAlarmXml(xml, 'fireDetection'));
    expect(err.status).toBe(400);
    expect(err.field).toBe('fireDetection');
    expect(err.message).toMatch(/malformed XML in fireDetection/);
  });

  it('refuses entity declarations (billion laughs) before parsing', () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><EventNotificationAlert>&a;</EventNotificationAlert>`;
    expect(failure(() => parseAlarmXml(xml, 'xml')).field).toBe('xml');
  });

  it('another event type is a 422 naming eventType; a missing time names dateTime', () => {
    const vmd = read('isapi-fire-detection.xml').replace('>fireDetection<', '>VMD<');
    const e1 = failure(() => parseAlarmXml(vmd));
    expect([e1.status, e1.field]).toEqual([422, 'EventNotificationAlert.eventType']);
    const noTime = read('isapi-fire-detection.xml').replace(/<dateTime>.*<\/dateTime>/, '');
    expect(failure(() => parseAlarmXml(noTime)).field).toBe('EventNotificationAlert.dateTime');
  });
});

describe('GB/T 28181 alarm Notify', () => {
  it('reads the device and the alarm time as Beijing time; 0,0 is no position', () => {
    const a = parseAlarmXml(read('gb28181-alarm-notify.xml'));
    expect(a.format).toBe('gb28181');
    expect(a.deviceId).toBe('43122600001320000001');
    expect(a.observedAt.toISOString()).toBe('2026-03-14T02:21:07.000Z');
    expect([a.lon, a.lat, a.panDeg, a.bearingDeg]).toEqual([null, null, null, null]);
    expect(a.description).toBe('烟火检测');
  });

  it('a Notify of another command is a 422 naming CmdType', () => {
    const xml = read('gb28181-alarm-notify.xml').replace('>Alarm<', '>Keepalive<');
    expect(failure(() => parseAlarmXml(xml)).field).toBe('Notify.CmdType');
  });
});

describe('plain JSON alarm', () => {
  it('reads bearing, tilt and the picture; refuses a bad field by name', () => {
    const a = parseJsonAlarm({
      observedAt: '2026-03-14T10:21:07+08:00',
      bearingDeg: 200,
      tiltDeg: 3,
      picture: Buffer.from('hi').toString('base64'),
    });
    expect([a.channel, a.bearingDeg, a.tiltDeg]).toEqual([1, 200, 3]);
    expect(a.picture?.toString()).toBe('hi');
    expect(
      failure(() => parseJsonAlarm({ observedAt: '2026-03-14T10:21:07Z', bearingDeg: 400 })).field,
    ).toBe('bearingDeg');
    expect(failure(() => parseJsonAlarm({ observedAt: '2026-03-14 10:21' })).field).toBe(
      'observedAt',
    );
  });
});
