// protocol.js - the protocol v1 names the web client uses.
// The contract is proto/PROTOCOL.md; tests/web/names.test.mjs checks every
// name here against proto/protocol.def.

export const PROTOCOL = 'atelier.v1';

export const OP = {
  hello: 'hello',
  ping: 'ping',
  boardGet: 'board.get',
  noteAdd: 'note.add',
  noteUpdate: 'note.update',
  noteDelete: 'note.delete',
  noteVote: 'note.vote',
  noteUnvote: 'note.unvote',
  wordAdd: 'word.add',
  cloudLayout: 'cloud.layout',
};

export const EV = {
  sessionCreated: 'session.created',
  participantJoined: 'participant.joined',
  boardCreated: 'board.created',
  boardLocked: 'board.locked',
  boardUnlocked: 'board.unlocked',
  noteAdded: 'note.added',
  noteUpdated: 'note.updated',
  noteDeleted: 'note.deleted',
  noteVoted: 'note.voted',
  noteUnvoted: 'note.unvoted',
  noteHidden: 'note.hidden',
  noteShown: 'note.shown',
  sessionUpdated: 'session.updated',
  sessionClosed: 'session.closed',
  sessionReopened: 'session.reopened',
  sessionArchived: 'session.archived',
  sessionUnarchived: 'session.unarchived',
  sessionAnonymized: 'session.anonymized',
  sessionFocused: 'session.focused',
  wordAdded: 'word.added',
  cloudUpdated: 'cloud.updated',
  wordHidden: 'word.hidden',
  wordShown: 'word.shown',
  wordMerged: 'word.merged',
  wordBanned: 'word.banned',
  wordUnbanned: 'word.unbanned',
  boardReset: 'board.reset',
  clusterApplied: 'cluster.applied',
  clusterRenamed: 'cluster.renamed',
  clusterMoved: 'cluster.moved',
  clusterMerged: 'cluster.merged',
  clusterSplit: 'cluster.split',
  timerStarted: 'timer.started',
  timerPaused: 'timer.paused',
  timerResumed: 'timer.resumed',
  timerStopped: 'timer.stopped',
};

export const ERR = {
  badRequest: 'bad_request',
  unknownOp: 'unknown_op',
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
  notFound: 'not_found',
  locked: 'locked',
  tooLarge: 'too_large',
  rateLimited: 'rate_limited',
  closed: 'closed',
  internal: 'internal',
  quota: 'quota',
};

export const COLORS = ['yellow', 'pink', 'blue', 'green', 'orange', 'purple'];

export const LIMITS = { note: 500, word: 40, name: 60 };

// Session codes: 6 characters of this alphabet (no 0/O, no 1/I).
export const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** What people type ("k7m xpa") as a code ("K7MXPA"), or null. */
export function normalizeCode(s) {
  const c = String(s || '').toUpperCase().replace(/[\s\-_.]/g, '');
  if (c.length !== 6) return null;
  for (const ch of c) if (!CODE_ALPHABET.includes(ch)) return null;
  return c;
}
