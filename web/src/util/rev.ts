// A version id is a ULID (26 Crockford base32 characters); the Dropbox API names the same version by
// its `rev`: the ULID's 128 bits as 32 lowercase hex digits.
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function versionRev(versionId: string): string {
  let value = 0n;
  for (const char of versionId.toUpperCase()) {
    const digit = CROCKFORD.indexOf(char);
    if (digit < 0) throw new Error(`Not a version id: ${versionId}`);
    value = (value << 5n) | BigInt(digit);
  }
  return value.toString(16).padStart(32, '0');
}
