// Rendering Vega-Lite specs headlessly: compile to Vega, run a View with no renderer, ask it for SVG
// (text widths are estimated in Node; a browser measures them on a canvas). Platform-neutral: PNG
// through resvg, a native addon, is the CLI's (sim/cli/png.ts).
// Definition ids inside the SVG restart for every chart, so output does not depend on what was
// rendered before it in the same process (a merged sweep renders the same bytes as a single one).
import { compile, type TopLevelSpec } from 'vega-lite';
import { parse, resetSVGDefIds, View, type LoggerInterface } from 'vega';

export interface Rendered {
  svg: string;
  /** Warnings from Vega-Lite and Vega (a dropped encoding, an invalid scale); empty when all is well. */
  warnings: string[];
}

function collector(warnings: string[]): LoggerInterface {
  const text = (args: readonly unknown[]): string => args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ');
  const logger: LoggerInterface = {
    level: ((_?: number) => logger) as LoggerInterface['level'],
    error: (...args: readonly unknown[]) => {
      throw new Error(`chart: ${text(args)}`);
    },
    warn: (...args: readonly unknown[]) => {
      warnings.push(text(args));
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}

export async function renderSvg(spec: TopLevelSpec): Promise<Rendered> {
  const warnings: string[] = [];
  const logger = collector(warnings);
  const vg = compile(spec, { logger }).spec;
  resetSVGDefIds();
  const view = new View(parse(vg), { renderer: 'none', logger });
  try {
    const svg = await view.toSVG();
    return { svg, warnings };
  } finally {
    view.finalize();
  }
}
