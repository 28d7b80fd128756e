/** A definition that cannot be loaded: bad JSON, a broken reference, a missing substitution. */
export class DefinitionError extends Error {
  override readonly name: string = "DefinitionError";
}

/** A construct outside the ASL subset of DESIGN.md section 5, refused at load. */
export class UnsupportedConstructError extends DefinitionError {
  override readonly name = "UnsupportedConstructError";
  constructor(
    readonly construct: string,
    readonly state: string | undefined,
    detail?: string,
  ) {
    super(
      `${state === undefined ? "State machine" : `State "${state}"`}: ${construct} is not supported by the local engine` +
        (detail ? ` (${detail})` : ""),
    );
  }
}

/** A runtime error of the States language (`States.Timeout`, a Lambda error, ...), matched by Retry/Catch. */
export class StatesError extends Error {
  constructor(
    readonly error: string,
    override readonly cause: string,
  ) {
    super(`${error}: ${cause}`);
    this.name = "StatesError";
  }
}

/** An error answered to an API caller in the awsJson1.0 shape `{"__type", "message"}`. */
export class SfnApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = "SfnApiError";
  }
}
