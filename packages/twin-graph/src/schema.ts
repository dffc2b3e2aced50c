/** The resource type of a whole twin graph in a commissioning file. */
export const TWIN_GRAPH_RESOURCE_TYPE = 'Iiot::TwinGraph';
/** The resource type of one twin (with its subtree) attached under an `owner` path. */
export const TWIN_RESOURCE_TYPE = 'Iiot::Twin';

const reference = { type: 'string', minLength: 1 } as const;
const percent = { type: 'number', exclusiveMinimum: 0, maximum: 100 } as const;
const permissions = { type: 'array', items: { enum: ['READ', 'WRITE'] }, uniqueItems: true } as const;
const name = '^[A-Za-z0-9_][A-Za-z0-9_.-]*$';

const definitions = {
  property: {
    type: 'object',
    description: 'A property: exactly one of source, derive, aggregate, setpoint.',
    additionalProperties: false,
    properties: {
      description: { type: 'string' },
      unit: { type: 'string' },
      source: {
        type: 'object',
        description: 'A process variable bound to a topic filter (named wildcards allowed) or an endpoint.',
        additionalProperties: false,
        properties: {
          topic: { type: 'string', minLength: 1 },
          endpoint: reference,
          connection: reference,
          value: { type: 'string', description: 'JSONata picking the value from the payload.' },
          maxAge: { type: 'number', exclusiveMinimum: 0, description: 'ms without a value before Bad_Stale.' },
        },
        oneOf: [{ required: ['topic'] }, { required: ['endpoint'] }],
      },
      derive: {
        type: 'object',
        additionalProperties: false,
        required: ['expression', 'inputs'],
        properties: {
          expression: { type: 'string', description: 'JSONata over the inputs by name.' },
          inputs: { type: 'object', additionalProperties: reference },
        },
      },
      aggregate: {
        type: 'object',
        additionalProperties: false,
        required: ['op'],
        properties: {
          op: { enum: ['sum', 'avg', 'min', 'max', 'count'] },
          of: { type: 'string', pattern: name, description: 'This property of every direct child twin.' },
          inputs: { type: 'array', items: reference, minItems: 1 },
          percentGood: percent,
          percentBad: percent,
        },
        oneOf: [{ required: ['of'] }, { required: ['inputs'] }],
      },
      setpoint: {
        type: 'object',
        additionalProperties: false,
        properties: {
          topic: { type: 'string', minLength: 1 },
          connection: reference,
          targets: { type: 'array', items: reference },
        },
        anyOf: [{ required: ['topic'] }, { required: ['targets'] }],
      },
    },
    oneOf: [{ required: ['source'] }, { required: ['derive'] }, { required: ['aggregate'] }, { required: ['setpoint'] }],
  },
  twin: {
    type: 'object',
    additionalProperties: false,
    properties: {
      description: { type: 'string' },
      owner: { type: 'string', description: 'Top-level twins only: the path of the owning twin.' },
      properties: { type: 'object', propertyNames: { pattern: name }, additionalProperties: { $ref: '#/definitions/property' } },
      twins: { type: 'object', propertyNames: { pattern: name }, additionalProperties: { $ref: '#/definitions/twin' } },
      uses: { type: 'array', items: reference },
    },
  },
  policy: {
    type: 'object',
    description: 'Labelled entries, Eclipse Ditto style: the most specific path wins, revoke beats grant at the same level.',
    additionalProperties: {
      type: 'object',
      additionalProperties: false,
      required: ['subjects', 'resources'],
      properties: {
        subjects: { type: 'array', items: { type: 'string', pattern: '^(user|role):.+' }, minItems: 1 },
        resources: {
          type: 'object',
          additionalProperties: { type: 'object', additionalProperties: false, properties: { grant: permissions, revoke: permissions } },
        },
      },
    },
  },
} as const;

/** JSON Schema (draft-07) of the `properties` of an `Iiot::TwinGraph` resource. */
export const twinGraphSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: TWIN_GRAPH_RESOURCE_TYPE,
  type: 'object',
  additionalProperties: false,
  required: ['twins'],
  properties: {
    twins: { type: 'object', propertyNames: { pattern: name }, additionalProperties: { $ref: '#/definitions/twin' } },
    policy: { $ref: '#/definitions/policy' },
  },
  definitions,
} as const;

/** JSON Schema (draft-07) of the `properties` of an `Iiot::Twin` resource (the resource id is its name). */
export const twinSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: TWIN_RESOURCE_TYPE,
  $ref: '#/definitions/twin',
  definitions,
} as const;

/** Resource type → schema of its `properties`, for the commissioning validator's registry. */
export const twinResourceSchemas = {
  [TWIN_GRAPH_RESOURCE_TYPE]: twinGraphSchema,
  [TWIN_RESOURCE_TYPE]: twinSchema,
} as const;
