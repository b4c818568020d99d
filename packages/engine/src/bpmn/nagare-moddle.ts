/**
 * The moddle descriptor of Nagare's BPMN extension (namespace {@link NAGARE_NS_URI}, prefix
 * `nagare`): data items, swimlane operator rules, per-step data access, deadlines,
 * automation, choice buttons, timer-start schedules, condition rows and message keys.
 * docs/bpmn.md describes every element. A TypeScript module rather than JSON so that it loads
 * the same way under Vitest, tsx and the tsc build. Element and attribute names are a public
 * format: add, never rename.
 */
export const NAGARE_NS_URI = 'https://nagare.dev/schema/bpmn/1.0';
export const NAGARE_PREFIX = 'nagare';

export const nagareModdleDescriptor = {
  name: 'Nagare',
  prefix: 'nagare',
  uri: 'https://nagare.dev/schema/bpmn/1.0',
  xml: {
    tagAlias: 'lowerCase',
  },
  associations: [],
  types: [
    {
      name: 'DataItems',
      superClass: ['Element'],
      meta: {
        allowedIn: ['bpmn:Process'],
      },
      properties: [
        {
          name: 'items',
          type: 'DataItem',
          isMany: true,
        },
      ],
    },
    {
      name: 'DataItem',
      superClass: ['Element'],
      properties: [
        {
          name: 'number',
          type: 'Integer',
          isAttr: true,
        },
        {
          name: 'fieldName',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'name',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'type',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'format',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'formType',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'required',
          type: 'Boolean',
          isAttr: true,
        },
        {
          name: 'minLength',
          type: 'Integer',
          isAttr: true,
        },
        {
          name: 'maxLength',
          type: 'Integer',
          isAttr: true,
        },
        {
          name: 'pattern',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'decimalPlaces',
          type: 'Integer',
          isAttr: true,
        },
        {
          name: 'min',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'max',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'prefix',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'suffix',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'expression',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'initialValue',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'choiceSource',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'optionsMaster',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'choicesUrl',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'parentItem',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'minRows',
          type: 'Integer',
          isAttr: true,
        },
        {
          name: 'maxRows',
          type: 'Integer',
          isAttr: true,
        },
        {
          name: 'description',
          type: 'Description',
        },
        {
          name: 'choices',
          type: 'Choice',
          isMany: true,
        },
        {
          name: 'columns',
          type: 'Column',
          isMany: true,
        },
      ],
    },
    {
      name: 'Description',
      superClass: ['Element'],
      properties: [
        {
          name: 'text',
          type: 'String',
          isBody: true,
        },
      ],
    },
    {
      name: 'Choice',
      superClass: ['Element'],
      properties: [
        {
          name: 'value',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'label',
          type: 'String',
          isAttr: true,
        },
      ],
    },
    {
      name: 'Column',
      superClass: ['Element'],
      properties: [
        {
          name: 'fieldName',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'name',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'type',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'required',
          type: 'Boolean',
          isAttr: true,
        },
        {
          name: 'minLength',
          type: 'Integer',
          isAttr: true,
        },
        {
          name: 'maxLength',
          type: 'Integer',
          isAttr: true,
        },
        {
          name: 'pattern',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'decimalPlaces',
          type: 'Integer',
          isAttr: true,
        },
        {
          name: 'min',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'max',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'prefix',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'suffix',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'expression',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'total',
          type: 'Boolean',
          isAttr: true,
        },
        {
          name: 'choices',
          type: 'Choice',
          isMany: true,
        },
      ],
    },
    {
      name: 'Operators',
      superClass: ['Element'],
      meta: {
        allowedIn: ['bpmn:Lane'],
      },
      properties: [
        {
          name: 'allocation',
          type: 'String',
          isAttr: true,
          default: 'offer',
        },
        {
          name: 'team',
          type: 'Boolean',
          isAttr: true,
        },
        {
          name: 'completion',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'rules',
          type: 'OperatorRule',
          isMany: true,
        },
        {
          name: 'exclusions',
          type: 'Exclusion',
          isMany: true,
        },
      ],
    },
    {
      name: 'OperatorRule',
      superClass: ['Element'],
      properties: [
        {
          name: 'kind',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'user',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'organization',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'includeSubOrganizations',
          type: 'Boolean',
          isAttr: true,
        },
        {
          name: 'position',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'authority',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'item',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'lane',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'relation',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'role',
          type: 'String',
          isAttr: true,
        },
      ],
    },
    {
      name: 'Exclusion',
      superClass: ['Element'],
      properties: [
        {
          name: 'lane',
          type: 'String',
          isAttr: true,
        },
      ],
    },
    {
      name: 'DataAccess',
      superClass: ['Element'],
      meta: {
        allowedIn: ['bpmn:UserTask', 'bpmn:StartEvent'],
      },
      properties: [
        {
          name: 'entries',
          type: 'Access',
          isMany: true,
        },
      ],
    },
    {
      name: 'Access',
      superClass: ['Element'],
      properties: [
        {
          name: 'item',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'mode',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'required',
          type: 'Boolean',
          isAttr: true,
        },
      ],
    },
    {
      name: 'Buttons',
      superClass: ['Element'],
      meta: {
        allowedIn: ['bpmn:UserTask'],
      },
      properties: [
        {
          name: 'buttons',
          type: 'Button',
          isMany: true,
        },
      ],
    },
    {
      name: 'Button',
      superClass: ['Element'],
      properties: [
        {
          name: 'flow',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'label',
          type: 'String',
          isAttr: true,
        },
      ],
    },
    {
      name: 'Deadline',
      superClass: ['Element'],
      meta: {
        allowedIn: ['bpmn:UserTask', 'bpmn:Task'],
      },
      properties: [
        {
          name: 'amount',
          type: 'Integer',
          isAttr: true,
        },
        {
          name: 'unit',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'base',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'item',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'expression',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'action',
          type: 'String',
          isAttr: true,
          default: 'none',
        },
      ],
    },
    {
      name: 'Automation',
      superClass: ['Element'],
      meta: {
        allowedIn: [
          'bpmn:ServiceTask',
          'bpmn:SendTask',
          'bpmn:ScriptTask',
          'bpmn:BusinessRuleTask',
          'bpmn:Task',
          'bpmn:IntermediateThrowEvent',
          'bpmn:EndEvent',
          'bpmn:StartEvent',
        ],
      },
      properties: [
        {
          name: 'type',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'addon',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'maxAttempts',
          type: 'Integer',
          isAttr: true,
        },
        {
          name: 'pollInterval',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'key',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'configs',
          type: 'Config',
          isMany: true,
        },
        {
          name: 'assignments',
          type: 'Assign',
          isMany: true,
        },
      ],
    },
    {
      name: 'Config',
      superClass: ['Element'],
      properties: [
        {
          name: 'name',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'value',
          type: 'String',
          isBody: true,
        },
      ],
    },
    {
      name: 'Assign',
      superClass: ['Element'],
      properties: [
        {
          name: 'item',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'expression',
          type: 'String',
          isAttr: true,
        },
      ],
    },
    {
      name: 'Schedules',
      superClass: ['Element'],
      meta: {
        allowedIn: ['bpmn:StartEvent'],
      },
      properties: [
        {
          name: 'timezone',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'schedules',
          type: 'Schedule',
          isMany: true,
        },
      ],
    },
    {
      name: 'Schedule',
      superClass: ['Element'],
      properties: [
        {
          name: 'frequency',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'time',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'dayOfWeek',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'dayOfMonth',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'month',
          type: 'Integer',
          isAttr: true,
        },
        {
          name: 'count',
          type: 'String',
          isAttr: true,
        },
      ],
    },
    {
      name: 'Condition',
      superClass: ['Element'],
      meta: {
        allowedIn: ['bpmn:SequenceFlow'],
      },
      properties: [
        {
          name: 'rows',
          type: 'ConditionRow',
          isMany: true,
        },
      ],
    },
    {
      name: 'ConditionRow',
      superClass: ['Element'],
      properties: [
        {
          name: 'terms',
          type: 'ConditionTerm',
          isMany: true,
        },
      ],
    },
    {
      name: 'ConditionTerm',
      superClass: ['Element'],
      properties: [
        {
          name: 'item',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'op',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'value',
          type: 'String',
          isAttr: true,
        },
        {
          name: 'otherItem',
          type: 'String',
          isAttr: true,
        },
      ],
    },
    {
      name: 'MessageKey',
      superClass: ['Element'],
      meta: {
        allowedIn: [
          'bpmn:StartEvent',
          'bpmn:IntermediateCatchEvent',
          'bpmn:ReceiveTask',
          'bpmn:BoundaryEvent',
        ],
      },
      properties: [
        {
          name: 'channel',
          type: 'String',
          isAttr: true,
          default: 'http',
        },
        {
          name: 'key',
          type: 'String',
          isAttr: true,
        },
      ],
    },
  ],
} as const;
