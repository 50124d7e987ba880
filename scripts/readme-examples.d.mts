/** README.md, then every docs/*.md in name order: the pages whose examples are run. */
export function docPages(root: string): string[];
/** Map of file name to contents of the pages' `<!-- example: NAME -->` blocks, in page order. */
export function readmeExamples(paths: string | string[]): Map<string, string>;
