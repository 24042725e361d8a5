/**
 * The command page's alarms, each its own sound so a commander knows which without looking:
 * a new report one sine beep, a flood three falling tones, an escalation or missed target for
 * his level a rising square-wave siren. Browsers refuse audio before the first click and some
 * machines have no device: then nothing plays and the page's visual alarm stands alone.
 */
interface Tone {
  hz: number;
  /** Start, seconds from now. */
  at: number;
  seconds: number;
  gain: number;
  type?: OscillatorType;
}

function play(tones: Tone[]) {
  try {
    const ctx = new AudioContext();
    for (const tone of tones) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      const t0 = ctx.currentTime + tone.at;
      osc.type = tone.type ?? 'sine';
      osc.frequency.setValueAtTime(tone.hz, t0);
      gain.gain.setValueAtTime(tone.gain, t0);
      gain.gain.exponentialRampToValueAtTime(0.001, t0 + tone.seconds);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t0);
      osc.stop(t0 + tone.seconds);
    }
  } catch {
    // No audio device (or not allowed yet): the visual alarm still shows.
  }
}

/** A new report. */
export function beep(): void {
  play([{ hz: 880, at: 0, seconds: 0.6, gain: 0.15 }]);
}

/** A flood of unverified reports: three falling tones. */
export function floodAlarm(): void {
  play([660, 550, 440].map((hz, i) => ({ hz, at: i * 0.35, seconds: 0.3, gain: 0.2 })));
}

/** An escalation or missed target for the user's level: four alternating square tones. */
export function siren(): void {
  play(
    [660, 990, 660, 990].map((hz, i) => ({
      hz,
      at: i * 0.25,
      seconds: 0.22,
      gain: 0.08,
      type: 'square' as const,
    })),
  );
}
