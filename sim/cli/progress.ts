// Progress of a long sweep on stderr: a live bar (cli-progress) with runs done, rate and ETA when
// stderr is a terminal; otherwise plain lines, at the first finished run, then at most every few
// seconds, then at the end, so logs of batch jobs stay short. --quiet silences both.
import cliProgress from 'cli-progress';

export interface Progress {
  /** `done` runs of the total have finished. */
  update(done: number): void;
  /** A one-line note (e.g. "stopping ...") that does not break the bar. */
  note(text: string): void;
  stop(): void;
}

export interface ProgressOptions {
  total: number;
  label: string;
  quiet?: boolean;
  /** A terminal: a live bar is drawn on it. */
  tty?: NodeJS.WriteStream;
  /** Where plain lines go (stderr). */
  write: (text: string) => void;
  /** Seconds between plain lines. */
  every_s?: number;
  now?: () => number;
}

const fmtEta = (s: number): string => {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${Math.ceil(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
};

const fmtRate = (r: number): string => (r >= 100 ? r.toFixed(0) : r >= 10 ? r.toFixed(1) : r.toFixed(2));

/** The plain line: "sweep: 120/1000 runs (12%), 85.3 runs/s, ETA 11 s". */
export function progressLine(label: string, done: number, total: number, elapsed_s: number): string {
  const rate = elapsed_s > 0 ? done / elapsed_s : 0;
  const pct = total > 0 ? Math.floor((100 * done) / total) : 100;
  const eta = done >= total ? 'done' : `ETA ${fmtEta(rate > 0 ? (total - done) / rate : Infinity)}`;
  return `${label}: ${done}/${total} runs (${pct}%), ${fmtRate(rate)} runs/s, ${eta}`;
}

export function startProgress(o: ProgressOptions): Progress {
  const stream = o.tty;
  const now = o.now ?? (() => performance.now() / 1000);
  const t0 = now();
  if (o.quiet) return { update() {}, note() {}, stop() {} };

  if (stream !== undefined) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: `${o.label} [{bar}] {value}/{total} runs | {rate} runs/s | ETA {eta_formatted}`,
        hideCursor: true,
        clearOnComplete: false,
        etaBuffer: 50,
        fps: 5,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(o.total, 0, { rate: '0' });
    // A note ends the bar first: writing under a live bar would be overdrawn by its next frame.
    let live = true;
    const stop = (): void => {
      if (live) bar.stop();
      live = false;
    };
    return {
      update(done) {
        if (!live) return;
        const el = now() - t0;
        bar.update(done, { rate: fmtRate(el > 0 ? done / el : 0) });
      },
      note(text) {
        stop();
        o.write(`${text}\n`);
      },
      stop,
    };
  }

  const every = o.every_s ?? 5;
  let last = -Infinity;
  let shown = -1;
  let latest = 0;
  const line = (done: number): void => {
    shown = done;
    last = now();
    o.write(progressLine(o.label, done, o.total, last - t0) + '\n');
  };
  return {
    update(done) {
      latest = done;
      if (shown < 0 || done === o.total || now() - last >= every) line(done);
    },
    note(text) {
      o.write(text + '\n');
    },
    stop() {
      if (shown !== latest) line(latest);
    },
  };
}
