/**
 * Error answers shaped like GitHub's: `{ message, documentation_url, status }`,
 * plus `errors` for validation failures. Octokit turns these into RequestError
 * with the same `status` and `response.data`, so the app sees what it would see
 * against github.com.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: unknown[],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return {
      message: this.message,
      ...(this.errors ? { errors: this.errors } : {}),
      documentation_url: 'https://docs.github.com/rest',
      status: String(this.status),
    };
  }

  static notFound(): ApiError {
    return new ApiError(404, 'Not Found');
  }

  static badCredentials(): ApiError {
    return new ApiError(401, 'Bad credentials');
  }

  static requiresAuth(): ApiError {
    return new ApiError(401, 'Requires authentication');
  }

  static notAccessibleByIntegration(): ApiError {
    return new ApiError(403, 'Resource not accessible by integration');
  }

  /** 422 "Validation Failed" with GitHub's structured `errors`. */
  static validation(...errors: Array<{ resource: string; field?: string; code: string; message?: string }>): ApiError {
    return new ApiError(422, 'Validation Failed', errors);
  }

  /** 422 with a plain message, as many write endpoints answer. */
  static unprocessable(message: string, errors?: unknown[]): ApiError {
    return new ApiError(422, message, errors);
  }

  static missingField(resource: string, field: string): ApiError {
    return ApiError.validation({ resource, field, code: 'missing_field' });
  }

  static invalidBody(message: string): ApiError {
    return new ApiError(400, `Problems parsing JSON: ${message}`);
  }
}

/** Reads a required string field of a JSON body, failing the way GitHub does. */
export function requireString(body: Record<string, unknown>, field: string, resource: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value === '') throw ApiError.missingField(resource, field);
  return value;
}

export function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw ApiError.validation({ resource: 'Request', field, code: 'invalid', message: `${field} is not a string` });
  return value;
}
