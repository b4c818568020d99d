/**
 * Golden histories: recorded command sequences per model. golden.test.ts replays each through
 * the current engine and compares every answer (events, effects, rejection) and the final
 * state with the committed JSON; `UPDATE_GOLDEN=1` rewrites the JSON on purpose.
 */
import type { Command } from '../../src/index.js';

export interface GoldenStep {
  readonly command: Command;
  /** Milliseconds to advance the clock before this command. */
  readonly advanceMs?: number;
}

export interface GoldenScenario {
  readonly name: string;
  readonly model: string;
  readonly steps: readonly GoldenStep[];
}

const HOUR = 3_600_000;

export const scenarios: readonly GoldenScenario[] = [
  {
    name: 's1-straight-through',
    model: 's1',
    steps: [{ command: { type: 'StartIssue', issueId: 'g-s1' } }],
  },
  {
    name: 'approval-send-back-then-team-approve',
    model: 'approval',
    steps: [
      { command: { type: 'StartIssue', issueId: 'g-ap1', data: { q_amount: 5000 }, by: 'ann' } },
      {
        command: { type: 'CompleteTask', seq: 1, operator: 'ann', data: { q_note: 'laptop' } },
        advanceMs: HOUR,
      },
      {
        command: { type: 'CompleteTask', seq: 2, operator: 'boss', button: 'f_back', openTeamTasks: 0 },
        advanceMs: HOUR,
      },
      { command: { type: 'TimerFired', seq: 3 } },
      {
        command: { type: 'CompleteTask', seq: 4, operator: 'ann', data: { q_amount: 900 } },
        advanceMs: HOUR,
      },
      { command: { type: 'CompleteTask', seq: 5, operator: 'boss', button: 'f_ok', openTeamTasks: 1 } },
      { command: { type: 'CompleteTask', seq: 5, operator: 'boss', button: 'f_ok', openTeamTasks: 1 } },
      {
        command: { type: 'CompleteTask', seq: 5, operator: 'cfo', button: 'f_ok', openTeamTasks: 0 },
        advanceMs: HOUR,
      },
      { command: { type: 'JobFailed', seq: 7, error: { message: 'SMTP 451' } } },
      { command: { type: 'RetryIncident', incident: 8 }, advanceMs: HOUR },
      { command: { type: 'JobSucceeded', seq: 7 } },
      { command: { type: 'JobSucceeded', seq: 9 } },
    ],
  },
  {
    name: 'approval-deadline-expires',
    model: 'approval',
    steps: [
      { command: { type: 'StartIssue', issueId: 'g-ap2', data: { q_amount: 10 } } },
      { command: { type: 'CompleteTask', seq: 1, operator: 'ann' } },
      { command: { type: 'TimerFired', seq: 3 }, advanceMs: 48 * HOUR },
    ],
  },
  {
    name: 'orders-multi-instance-inclusive-declined-then-paid',
    model: 'orders',
    steps: [
      {
        command: {
          type: 'StartIssue',
          issueId: 'g-o1',
          data: { lines: [{ sku: 'A' }, { sku: 'B' }], express: 'yes', gift: 'yes' },
        },
      },
      { command: { type: 'JobSucceeded', seq: 2 } },
      { command: { type: 'JobSucceeded', seq: 1 } },
      { command: { type: 'CompleteTask', seq: 4, operator: 'wrap' } },
      { command: { type: 'CompleteTask', seq: 3, operator: 'pack' } },
      { command: { type: 'JobFailed', seq: 5, error: { code: 'DECLINED', message: 'card declined' } } },
      {
        command: { type: 'MessageReceived', node: 'paidMsg', key: 'paid', data: { paid: 'yes' } },
        advanceMs: HOUR,
      },
      { command: { type: 'JobSucceeded', seq: 8 } },
    ],
  },
  {
    name: 'orders-payment-timeout-terminates',
    model: 'orders',
    steps: [
      { command: { type: 'StartIssue', issueId: 'g-o2', data: { lines: [], express: 'no', gift: 'no' } } },
      { command: { type: 'JobFailed', seq: 1, error: { code: 'DECLINED', message: 'no funds' } } },
      { command: { type: 'TimerFired', seq: 3 }, advanceMs: 72 * HOUR },
      { command: { type: 'MessageReceived', node: 'paidMsg', key: 'paid' } },
    ],
  },
];
