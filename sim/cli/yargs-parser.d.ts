// yargs' own argument parser (a dependency of yargs, declared in package.json too), typed for the
// little the CLI uses: it ships no declarations.
declare module 'yargs-parser' {
  interface Options {
    string?: string[];
    boolean?: string[];
    configuration?: Record<string, boolean>;
  }
  function parse(args: string[], opts?: Options): { _: Array<string | number>; [key: string]: unknown };
  export default parse;
}
