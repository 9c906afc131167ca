/** An error of the Step Functions API; `name` is the AWS error code the SDK sees as `__type`. */
export class SfnApiError extends Error {
  constructor(code: SfnErrorCode, message: string) {
    super(message);
    this.name = code;
  }
}

export type SfnErrorCode =
  | "ExecutionAlreadyExists"
  | "ExecutionDoesNotExist"
  | "StateMachineDoesNotExist"
  | "InvalidArn"
  | "InvalidName"
  | "InvalidExecutionInput"
  | "InvalidOutput"
  | "InvalidToken"
  | "TaskDoesNotExist"
  | "TaskTimedOut"
  | "InvalidDefinition"
  | "ValidationException";

/**
 * The error a state fails with, as Step Functions reports it: `name` is matched by
 * Retry/Catch `ErrorEquals` and becomes `Error`; `message` becomes `Cause`.
 */
export class StateError extends Error {
  constructor(error: string, cause: string) {
    super(cause);
    this.name = error;
  }
}

/** The definition uses something the local runner cannot execute faithfully. */
export class UnsupportedDefinitionError extends Error {
  constructor(message: string) {
    super(`${message} (not supported by the local Step Functions runtime)`);
    this.name = "UnsupportedDefinitionError";
  }
}

/** The definition is not valid ASL (a transition to a missing state, no StartAt…). */
export class InvalidDefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidDefinitionError";
  }
}
