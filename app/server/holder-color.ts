// A collaborator's colour, picked from their stable id so it stays the same on
// every page and for everyone. The collab server stamps the same colour into
// each person's presence, so both use one function (notebook-model/service-protocol.ts).
export { presenceColorFor as colorFor } from '../../notebook-model/service-protocol';
