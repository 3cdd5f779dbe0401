/** What a system's API key may do (least privilege: a channel key cannot push cases). */
export const KEY_OPERATIONS = [
  'cases:write', // business systems push cases and ask pads for ratings
  'evaluations:write', // channel systems submit ratings they vouch for
  'hotline:write', // the 12345 system records operators' ratings
  'tokens:write', // mint rating tokens (SMS, QR codes)
  'pads:manage', // register pads for windows
  'tickets:write', // a unit's own system acts on its tickets (within the key's subtree)
] as const;
export type KeyOperation = (typeof KEY_OPERATIONS)[number];
