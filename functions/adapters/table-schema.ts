/**
 * The single-table layout: key attribute names and the global secondary indexes (read by the
 * adapters and by the stacks: functions never import stacks/). The Storage
 * stack builds the table from this; the local runtime reads the same layout back from the
 * synthesised template. Key *values* are built only in functions/adapters/keys.ts.
 */
export const tableSchema = {
  partitionKey: "pk",
  sortKey: "sk",
  /** Epoch seconds after which DynamoDB removes the item (sessions and sign-in links: adapters/sessions.ts). */
  timeToLiveAttribute: "expiresAtEpoch",
  indexes: [
    { name: "gsi1", partitionKey: "gsi1pk", sortKey: "gsi1sk" },
    { name: "gsi2", partitionKey: "gsi2pk", sortKey: "gsi2sk" },
    { name: "gsi3", partitionKey: "gsi3pk", sortKey: "gsi3sk" },
  ],
} as const;
