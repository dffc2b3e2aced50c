/** Where a process variable's values come from. */
export interface SourceDefinition {
  /** An MQTT topic filter; named wildcards (`+machine`) are captured into `$context.vars`. */
  topic?: string;
  /** Instead of `topic`: the id of a `Cybus::Endpoint` whose topic and connection `endpoints` resolves. */
  endpoint?: string;
  /** The connection the values arrive through; its loss marks this variable. */
  connection?: string;
  /**
   * JSONata picking the value from the payload (`$` payload, `$context.topic`, `$context.vars`).
   * @default the payload's `value` field when the payload is an object with one, else the payload
   */
  value?: string;
  /** Milliseconds without a new value after which the variable turns `Bad_Stale`. @default no limit */
  maxAge?: number;
}

/** A value computed from other properties. */
export interface DeriveDefinition {
  /** JSONata over an object of the inputs' values, e.g. `flow * density`. */
  expression: string;
  /** Input name → property reference (`speed`, `motor/current`, `../pump2/flow`, `/plant1/x/y`). */
  inputs: Record<string, string>;
}

/** Aggregate operations over inputs. */
export type AggregateOp = 'sum' | 'avg' | 'min' | 'max' | 'count';

/** A value aggregated over the twin's children or a list of properties. */
export interface AggregateDefinition {
  op: AggregateOp;
  /** Aggregate this property of every direct child twin that has it. */
  of?: string;
  /** Instead of `of`: property references to aggregate (redundant sensors, for example). */
  inputs?: string[];
  /** Good when at least this percent of inputs are Good (OPC UA Part 13 PercentDataGood). @default 100 */
  percentGood?: number;
  /** Else Bad when at least this percent are Bad, otherwise Uncertain_DataSubNormal. @default 100 */
  percentBad?: number;
}

/** A value written by users that writes through to a topic and/or fans out to other setpoints. */
export interface SetpointDefinition {
  /** Topic a write publishes `{ value, timestamp }` to. */
  topic?: string;
  /** The connection the write goes through; its loss marks this setpoint. */
  connection?: string;
  /** Other setpoints that receive the same value; writing needs WRITE on every one. */
  targets?: string[];
}

/** One property of a twin: exactly one of `source`, `derive`, `aggregate`, `setpoint`. */
export interface PropertyDefinition {
  description?: string;
  unit?: string;
  source?: SourceDefinition;
  derive?: DeriveDefinition;
  aggregate?: AggregateDefinition;
  setpoint?: SetpointDefinition;
}

/** A twin: properties, child twins (which it owns) and twins it uses (shared equipment). */
export interface TwinDefinition {
  description?: string;
  /** Only for top-level twins: the path of the twin that owns this one. @default a root of the forest */
  owner?: string;
  properties?: Record<string, PropertyDefinition>;
  twins?: Record<string, TwinDefinition>;
  /** References to twins this one uses without owning them; no permission is inherited along them. */
  uses?: string[];
}

/** Permissions of the access policy. */
export type Permission = 'READ' | 'WRITE';

/** Grants and revokes on one path of a policy entry. */
export interface PolicyResourceDefinition {
  grant?: Permission[];
  revoke?: Permission[];
}

/** One policy entry: subjects (`user:alice`, `role:operator`) and their permissions by path (`/` for all). */
export interface PolicyEntryDefinition {
  subjects: string[];
  resources: Record<string, PolicyResourceDefinition>;
}

/** A twin graph: a forest of twins and an access policy, the properties of an `Iiot::TwinGraph` resource. */
export interface TwinGraphDefinition {
  twins: Record<string, TwinDefinition>;
  /** Labelled entries, Eclipse Ditto style. Without a policy nobody may read or write anything. */
  policy?: Record<string, PolicyEntryDefinition>;
}
