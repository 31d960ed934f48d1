/**
 * A deterministic automaton over bytes to intersect with an FST (as in BurntSushi's `fst`): a search
 * walks the FST and the automaton together and prunes every branch where `canMatch` is false.
 *
 * Contract: `accept` must not mutate `state` (a search keeps states of several branches alive), and
 * `canMatch(s) === false` must mean no continuation of the input can ever match, or results are lost.
 */
export interface Automaton<S> {
  /** State before any byte. */
  start(): S;
  /** Whether the bytes read so far form a match. */
  isMatch(state: S): boolean;
  /** Whether some continuation of the bytes read so far can still match. */
  canMatch(state: S): boolean;
  /** State after reading `byte`. */
  accept(state: S, byte: number): S;
}

/** The automaton matching every byte string: a search with it lists the whole FST. */
export const ALWAYS: Automaton<null> = {
  start: () => null,
  isMatch: () => true,
  canMatch: () => true,
  accept: () => null,
};
