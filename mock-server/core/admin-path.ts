/**
 * Where the admin API lives. Its own module so that og-mock's lean path can tell an admin request
 * from a product one without loading the admin API itself (its validators are not needed to
 * start, and a fake that is never administered never loads them).
 */
export const ADMIN_PREFIX = "/__admin/";

export function isAdminPath(path: string): boolean {
  return path.startsWith(ADMIN_PREFIX) || path === "/__admin";
}
