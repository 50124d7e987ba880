/** Every broken comment rule in the tree at `root` (the repository by default), as `file:line: what`. */
export function findings(root?: string): string[];
