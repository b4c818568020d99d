/** The Nagare scenarios by id. Add a scenario here (and, if the peer has it, to PEER_SCENARIOS in peer.ts). */
import { s1 } from './engine-s1.ts';
import { s1Job } from './engine-s1-job.ts';
import { s2 } from './engine-s2.ts';
import { s4 } from './engine-s4-waiting.ts';
import { s5 } from './engine-s5.ts';
import type { Scenario } from './scenario.ts';
import { searchSelect } from './search-select.ts';

export const SCENARIOS: Readonly<Record<string, Scenario>> = {
  S1: s1,
  S1J: s1Job,
  S2: s2,
  S4: s4,
  S5: s5,
  SS: searchSelect,
};
