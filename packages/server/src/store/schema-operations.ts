/** Tables of the operations feature (filled in by the feature). */
export interface OperationsTables {}
