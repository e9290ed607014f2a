/** The platform's rule for rights (clinic_shared.auth.has_right): `patients.read` is granted by itself, `patients.*` or `*`. */
export function hasRight(granted: readonly string[], right: string): boolean {
  if (granted.includes(right) || granted.includes("*")) return true;
  return granted.includes(`${right.split(".", 1)[0]}.*`);
}
