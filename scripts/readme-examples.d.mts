/** Map of file name to contents of README's `<!-- example: NAME -->` blocks, in README order. */
export function readmeExamples(readmePath: string): Map<string, string>;
