/**
 * Random well-formed, block-structured models for property tests: sequences, parallel /
 * exclusive / inclusive split+join, bounded loops (a counter data item), embedded
 * sub-processes, with user tasks, jobs, timers, inline update-data and pass-through steps.
 */
import fc from 'fast-check';

export type Block =
  | { readonly k: 'user' | 'job' | 'timer' | 'pass' | 'update' | 'miUser' | 'miJobSeq' }
  | { readonly k: 'seq'; readonly items: readonly Block[] }
  | { readonly k: 'par' | 'xor' | 'or'; readonly branches: readonly Block[] }
  | { readonly k: 'loop'; readonly body: Block; readonly bound: number }
  | { readonly k: 'sub' | 'miSub'; readonly body: Block };

export const blockArb: fc.Arbitrary<Block> = fc.letrec<{ block: Block }>((tie) => ({
  block: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom<Block>(
      { k: 'user' },
      { k: 'job' },
      { k: 'timer' },
      { k: 'pass' },
      { k: 'update' },
      { k: 'miUser' },
      { k: 'miJobSeq' },
    ),
    fc.record({
      k: fc.constant('seq' as const),
      items: fc.array(tie('block'), { minLength: 1, maxLength: 3 }),
    }),
    fc.record({
      k: fc.constantFrom('par' as const, 'xor' as const, 'or' as const),
      branches: fc.array(tie('block'), { minLength: 2, maxLength: 3 }),
    }),
    fc.record({ k: fc.constant('loop' as const), body: tie('block'), bound: fc.integer({ min: 1, max: 3 }) }),
    fc.record({ k: fc.constantFrom('sub' as const, 'miSub' as const), body: tie('block') }),
  ),
})).block;

interface Emitted {
  entry: string;
  exit: string;
}

/** BPMN XML for `start → block → end`, with data items `r`, `u` and one counter per loop. */
export function modelXml(root: Block): string {
  let n = 0;
  const id = (p: string) => `${p}${++n}`;
  const counters: string[] = [];
  const emit = (b: Block, out: string[]): Emitted => {
    const flow = (from: string, to: string, body = '', fid = id('f')) => {
      out.push(
        `<bpmn:sequenceFlow id="${fid}" sourceRef="${from}" targetRef="${to}">${body}</bpmn:sequenceFlow>`,
      );
      return fid;
    };
    const cond = (feel: string) =>
      `<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${feel.replace(/</g, '&lt;').replace(/>/g, '&gt;')}</bpmn:conditionExpression>`;
    const update = (item: string, expr: string) => {
      const u = id('u');
      out.push(
        `<bpmn:serviceTask id="${u}"><bpmn:extensionElements><nagare:automation type="updateData"><nagare:assign item="${item}" expression="${expr.replace(/</g, '&lt;')}"/></nagare:automation></bpmn:extensionElements></bpmn:serviceTask>`,
      );
      return u;
    };
    switch (b.k) {
      case 'user':
      case 'job':
      case 'timer':
      case 'pass': {
        const x = id(b.k);
        if (b.k === 'user') out.push(`<bpmn:userTask id="${x}"/>`);
        if (b.k === 'job') out.push(`<bpmn:serviceTask id="${x}"/>`);
        if (b.k === 'pass') out.push(`<bpmn:task id="${x}"/>`);
        if (b.k === 'timer')
          out.push(
            `<bpmn:intermediateCatchEvent id="${x}"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>`,
          );
        return { entry: x, exit: x };
      }
      case 'miUser':
      case 'miJobSeq': {
        const x = id(b.k);
        const tag = b.k === 'miUser' ? 'userTask' : 'serviceTask';
        const seq = b.k === 'miJobSeq';
        out.push(
          `<bpmn:${tag} id="${x}"><bpmn:multiInstanceLoopCharacteristics isSequential="${seq}"><bpmn:loopCardinality>r</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics></bpmn:${tag}>`,
        );
        return { entry: x, exit: x };
      }
      case 'update': {
        const x = update('u', 'r + 1');
        return { entry: x, exit: x };
      }
      case 'seq': {
        const parts = b.items.map((i) => emit(i, out));
        for (let i = 1; i < parts.length; i++) flow(parts[i - 1]!.exit, parts[i]!.entry);
        return { entry: parts[0]!.entry, exit: parts.at(-1)!.exit };
      }
      case 'par':
      case 'xor':
      case 'or': {
        const tag =
          b.k === 'par' ? 'parallelGateway' : b.k === 'xor' ? 'exclusiveGateway' : 'inclusiveGateway';
        const split = id('split');
        const join = id('join');
        const parts = b.branches.map((br) => emit(br, out));
        const defaultFlow = b.k === 'par' ? undefined : id('fd');
        out.push(
          `<bpmn:${tag} id="${split}"${defaultFlow ? ` default="${defaultFlow}"` : ''}/>`,
          `<bpmn:${tag} id="${join}"/>`,
        );
        parts.forEach((p, i) => {
          const last = i === parts.length - 1;
          if (b.k === 'par') flow(split, p.entry);
          else if (last) flow(split, p.entry, '', defaultFlow);
          else flow(split, p.entry, cond(b.k === 'xor' ? `r = ${i}` : `modulo(r + ${i}, 2) = 0`));
          flow(p.exit, join);
        });
        return { entry: split, exit: join };
      }
      case 'loop': {
        const c = `c${counters.length}`;
        counters.push(c);
        const reset = update(c, '0');
        const merge = id('merge');
        const again = id('again');
        const out_ = id('fd');
        out.push(
          `<bpmn:exclusiveGateway id="${merge}"/>`,
          `<bpmn:exclusiveGateway id="${again}" default="${out_}"/>`,
        );
        const body = emit(b.body, out);
        const inc = update(c, `${c} + 1`);
        flow(reset, merge);
        flow(merge, body.entry);
        flow(body.exit, inc);
        flow(inc, again);
        flow(again, merge, cond(`${c} < ${b.bound}`));
        const exit = id('pass');
        out.push(`<bpmn:task id="${exit}"/>`);
        flow(again, exit, '', out_);
        return { entry: reset, exit };
      }
      case 'sub':
      case 'miSub': {
        const s = id('sub');
        const loop =
          b.k === 'miSub'
            ? '<bpmn:multiInstanceLoopCharacteristics isSequential="false"><bpmn:loopCardinality>2</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics>'
            : '';
        const inner: string[] = [];
        const st = id('ss');
        const en = id('se');
        const body = emit(b.body, inner);
        inner.push(`<bpmn:startEvent id="${st}"/>`, `<bpmn:endEvent id="${en}"/>`);
        const fa = id('f');
        const fb = id('f');
        inner.push(
          `<bpmn:sequenceFlow id="${fa}" sourceRef="${st}" targetRef="${body.entry}"/>`,
          `<bpmn:sequenceFlow id="${fb}" sourceRef="${body.exit}" targetRef="${en}"/>`,
        );
        out.push(`<bpmn:subProcess id="${s}">${loop}${inner.join('')}</bpmn:subProcess>`);
        return { entry: s, exit: s };
      }
    }
  };
  const out: string[] = [];
  const body = emit(root, out);
  out.push(
    '<bpmn:startEvent id="start"/><bpmn:endEvent id="end"/>',
    `<bpmn:sequenceFlow id="fs" sourceRef="start" targetRef="${body.entry}"/><bpmn:sequenceFlow id="fe" sourceRef="${body.exit}" targetRef="end"/>`,
  );
  const items = ['r', 'u', ...counters]
    .map((f) => `<nagare:dataItem fieldName="${f}" type="numeric"/>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:nagare="https://nagare.dev/schema/bpmn/1.0" id="d" targetNamespace="urn:prop">
<bpmn:process id="P" isExecutable="true"><bpmn:extensionElements><nagare:dataItems>${items}</nagare:dataItems></bpmn:extensionElements>${out.join('\n')}</bpmn:process></bpmn:definitions>`;
}
