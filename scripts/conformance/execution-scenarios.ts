/**
 * What each runnable file of the executable corpus is expected to do under the scenario
 * driver: the answers its stubbed services and people give, the steps tokens must visit (in
 * order, read off the BPMN by hand) and how the issue ends. A file that compiles but has no
 * entry here fails the corpus execution test, so a newly runnable file gets a reviewed entry.
 *
 * `stuck` is expected where standard BPMN semantics leave a token waiting for ever (a parallel
 * join that waits for a flow that can no longer be taken; bpmn-engine, whose test models these
 * are, ends those through its own "discard" propagation, which BPMN does not define).
 */
import type { Scenario, ScenarioRun } from './scenario-driver.js';

export interface Expectation extends Scenario {
  /** A short name for the report (`happy path`, `timeout`...). */
  readonly name: string;
  readonly outcome: ScenarioRun['outcome'];
  /** Every node a token arrives at, in order. */
  readonly visited: readonly string[];
  /** Incidents raised (`CODE node`); none when absent. */
  readonly incidents?: readonly string[];
  /** Why the outcome is what it is, when that is not obvious (shown in the report). */
  readonly note?: string;
}

const JOIN_NOTE =
  'the parallel join waits for a flow that can no longer be taken (standard BPMN; bpmn-engine ends it by propagating "discarded" flows)';

/** By corpus path under `bpmn-corpus/executable/`. */
export const expectations: Readonly<Record<string, readonly Expectation[]>> = {
  'bpmn-elements/activity-execution.bpmn': [
    {
      name: 'straight through',
      outcome: 'completed',
      visited: [
        'StartEvent_1',
        'Activity_1d9usnf',
        'Event_1dni8rx',
        'Activity_0kfion5',
        'Activity_1jepuhw',
        'Activity_1ul2b51',
        'Event_11n84fu',
        'Gateway_10t3rld',
        'Event_191qyd0',
        'Event_1p9ao5e',
      ],
      note: 'the inner exclusive gateway has no conditions: its first flow in modeler order is taken',
    },
    {
      name: 'api.stop message interrupts the sub-process',
      messageBoundaries: ['Event_1fmua15'],
      outcome: 'terminated',
      visited: [
        'StartEvent_1',
        'Activity_1d9usnf',
        'Event_1dni8rx',
        'Activity_0kfion5',
        'Event_1fmua15',
        'Event_0wqtwds',
      ],
    },
  ],
  'bpmn-elements/bound-error-and-timer.bpmn': [
    { name: 'script succeeds', outcome: 'completed', visited: ['start', 'scriptTask', 'end'] },
    {
      name: 'script fails with 404',
      answers: { scriptTask: { fail: { code: '404', message: 'Input is missing' } } },
      outcome: 'stuck',
      visited: ['start', 'scriptTask', 'errorEvent', 'endInError'],
      incidents: ['UNCAUGHT_ERROR endInError'],
      note: 'the error end event at process level has no boundary to catch it: an incident',
    },
    {
      name: 'timer first',
      timersFirst: ['timerEvent'],
      outcome: 'terminated',
      visited: ['start', 'scriptTask', 'timerEvent', 'timedEndEvent'],
    },
  ],
  'bpmn-elements/boundary-non-interupting-timer.bpmn': [
    {
      name: 'timer fires, then the task is done',
      timersFirst: ['boundaryEvent'],
      outcome: 'completed',
      visited: ['StartEvent_1', 'userTask', 'boundaryEvent', 'join', 'join', 'EndEvent_04z4jtj'],
    },
  ],
  'bpmn-elements/boundary-timeout.bpmn': [
    {
      name: 'timeout',
      timersFirst: ['boundTimeoutEvent'],
      outcome: 'stuck',
      visited: ['start', 'userTask', 'boundTimeoutEvent', 'join'],
      note: JOIN_NOTE,
    },
  ],
  'bpmn-elements/data-store-reference.bpmn': [
    {
      name: 'straight through',
      outcome: 'completed',
      visited: ['StartEvent_1', 'Task_1tsro36', 'EndEvent_1x3m70n'],
    },
  ],
  'bpmn-elements/lanes.bpmn': [
    {
      name: 'message arrives',
      outcome: 'completed',
      visited: ['mainStartEvent', 'task1', 'intermediate', 'mainEndEvent'],
    },
  ],
  'bpmn-elements/link-event.bpmn': [
    {
      name: 'through the link',
      outcome: 'completed',
      visited: ['start', 'task1', 'throw', 'catch', 'task2', 'end'],
    },
  ],
  'bpmn-elements/messaging.bpmn': [
    {
      name: 'send, then receive',
      outcome: 'completed',
      visited: ['StartEvent_1', 'prepareMessage', 'ping', 'EndEvent_1099nj2'],
    },
  ],
  'bpmn-elements/multiple-endEvents.bpmn': [
    {
      name: 'inclusive splits without conditions take every flow',
      outcome: 'completed',
      visited: ['start', 'include1', 'end1', 'script1', 'include2', 'end2', 'script2', 'end'],
    },
  ],
  'bpmn-elements/parallel-join-edgecase.bpmn': [
    {
      name: 'the exclusive split takes "take"',
      outcome: 'stuck',
      visited: ['start', 'decision', 'task', 'join'],
      note: JOIN_NOTE,
    },
  ],
  'bpmn-elements/service-task.bpmn': [
    { name: 'service succeeds', outcome: 'completed', visited: ['start', 'serviceTask', 'end'] },
    {
      name: 'service fails',
      answers: { serviceTask: { fail: { message: 'down' } } },
      outcome: 'stuck',
      visited: ['start', 'serviceTask', 'errorEvent', 'endInVain'],
      incidents: ['UNCAUGHT_ERROR endInVain'],
      note: 'the error end event at process level has no boundary to catch it: an incident',
    },
    {
      name: 'timeout',
      timersFirst: ['timerEvent'],
      outcome: 'completed',
      visited: ['start', 'serviceTask', 'timerEvent', 'timeoutEnd'],
    },
  ],
  'bpmn-elements/sub-process.bpmn': [
    {
      name: 'implicit start inside the sub-process',
      outcome: 'completed',
      visited: ['theStart', 'subProcess', 'subUserTask', 'subScriptTask', 'theEnd'],
    },
  ],
  'bpmn-elements/swimlanes.bpmn': [
    {
      name: 'implicit start inside the sub-process',
      outcome: 'completed',
      visited: ['StartEvent_1', 'fillform', 'approveform', 'sub', 'subtask', 'Event_06ou83i'],
    },
  ],
  'bpmn-elements/timer-event.bpmn': [
    { name: 'timer fires', outcome: 'completed', visited: ['start', 'task1', 'duration', 'task2', 'end'] },
  ],
  'bpmn-elements/timer-start-event.bpmn': [
    {
      name: 'plain start',
      outcome: 'stuck',
      visited: ['start', 'task', 'join'],
      note: 'the timer catch event without incoming flows never starts (only a sub-process without a start event starts such steps); the join waits for it',
    },
  ],
  'camunda-bpm-examples/TwitterDemoProcess.bpmn': [
    {
      name: 'approved',
      answers: { user_task_review_tweet: { data: { approved: true } } },
      outcome: 'completed',
      visited: [
        'start_event_new_tweet',
        'user_task_review_tweet',
        'gateway_approved',
        'service_task_publish_on_twitter',
        'gateway_join',
        'end_event_tweet_handled',
      ],
    },
    {
      name: 'rejected',
      answers: { user_task_review_tweet: { data: { approved: false } } },
      outcome: 'completed',
      visited: [
        'start_event_new_tweet',
        'user_task_review_tweet',
        'gateway_approved',
        'service_task_send_rejection_notification',
        'gateway_join',
        'end_event_tweet_handled',
      ],
    },
  ],
  'camunda-bpm-examples/asynchronousServiceInvocation.bpmn': [
    {
      name: 'straight through',
      outcome: 'completed',
      visited: ['StartEvent_1', 'waitStateBefore', 'serviceTaskActivity', 'waitStateAfter', 'EndEvent_1'],
    },
  ],
  'camunda-bpm-examples/camunda-testing-job-announcement-publication.bpmn': [
    {
      name: 'Twitter yes, Facebook no',
      data: { twitter: true, facebook: false },
      outcome: 'completed',
      visited: [
        'Event_0izgki4',
        'publish_announcement_website',
        'Gateway_0z7rp9m',
        'Gateway_0c0k10n',
        'Gateway_1bdrrsh',
        'publish_announcement_twitter',
        'Gateway_0j1qkse',
        'Gateway_1loiva2',
        'Gateway_030yxlx',
        'Gateway_1loiva2',
        'Event_087qk1c',
      ],
    },
    {
      name: 'both',
      data: { twitter: true, facebook: true },
      outcome: 'completed',
      visited: [
        'Event_0izgki4',
        'publish_announcement_website',
        'Gateway_0z7rp9m',
        'Gateway_0c0k10n',
        'Gateway_1bdrrsh',
        'publish_announcement_twitter',
        'publish_announcement_facebook',
        'Gateway_030yxlx',
        'Gateway_1loiva2',
        'Gateway_0j1qkse',
        'Gateway_1loiva2',
        'Event_087qk1c',
      ],
    },
  ],
  'camunda-bpm-examples/instantiating_process.bpmn': [
    {
      name: 'straight through',
      outcome: 'completed',
      visited: ['StartEvent_1', 'ServiceTask_1', 'UserTask_1', 'EndEvent_1'],
    },
  ],
  'camunda-bpm-examples/invokeRestService.bpmn': [
    {
      name: 'a holiday',
      answers: { ServiceTask_1: { data: { isHoliday: true } } },
      outcome: 'completed',
      visited: ['StartEvent_1', 'ServiceTask_1', 'ExclusiveGateway_1', 'UserTask_1', 'EndEvent_2'],
    },
    {
      name: 'a work day',
      answers: { ServiceTask_1: { data: { isHoliday: false } } },
      outcome: 'completed',
      visited: ['StartEvent_1', 'ServiceTask_1', 'ExclusiveGateway_1', 'UserTask_2', 'EndEvent_1'],
    },
  ],
  'camunda-bpm-examples/message_start_process.bpmn': [
    { name: 'message start', outcome: 'completed', visited: ['StartEvent_1', 'UserTask_1', 'EndEvent_1'] },
  ],
  'camunda-bpm-examples/process.bpmn': [
    {
      name: "the service sets foo = 'bar'",
      answers: { serviceTask: { data: { foo: 'bar' } } },
      outcome: 'completed',
      visited: [
        'startEvent',
        'serviceTask',
        'gatewayFork',
        'userTaskB',
        'gatewayJoin',
        'scriptTask',
        'endEvent',
      ],
    },
  ],
  'camunda-bpm-examples/retry-example.bpmn': [
    {
      name: 'straight through',
      outcome: 'completed',
      visited: [
        'StartEvent_1',
        'service-fetch-data',
        'service-fetch-address',
        'service-send-data',
        'service-add-address',
        'EndEvent_1wq706h',
      ],
    },
    {
      name: 'a permanent failure',
      answers: { 'service-fetch-data': { fail: { message: 'gone', retryable: false } } },
      outcome: 'stuck',
      visited: ['StartEvent_1', 'service-fetch-data'],
      incidents: ['JOB_FAILED service-fetch-data'],
    },
  ],
  'camunda-bpm-examples/subProcess.bpmn': [
    {
      name: 'straight through',
      outcome: 'completed',
      visited: ['StartEvent_1', 'UserTask_0zlyiaz', 'EndEvent_09z3uwr'],
    },
  ],
};
