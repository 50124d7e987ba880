/** Every broken dependency rule of the tree at `root` (the repository by default), as sentences. */
export function findings(root?: string): string[];
