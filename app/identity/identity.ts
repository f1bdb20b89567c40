// The display name a guest gives when joining by a share or workshop link
// (app/join/): shown beside their cursor and in the presence list.
import { z } from 'zod';

export const displayNameSchema = z
  .string({ error: 'Enter a name.' })
  .trim()
  .min(1, 'Enter a name.')
  .max(40, 'A name can be at most 40 characters.');
