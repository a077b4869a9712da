import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from 'openai';
import { isModelError, ModelError } from './types';

// SDK failures → ModelError, whose message is shown to the reader as the run's last_error. Messages say what
// happened and who can fix it; they never carry the key, the base URL or the provider's raw error text.

const SAVED = 'Your message was saved.';

type TErrorContext = { model: string; timeoutMs: number; maxRetries: number };

function providerCode(error: APIError): string | undefined {
  const code = error.code ?? (error.error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function toModelError(error: unknown, context: TErrorContext): ModelError {
  if (isModelError(error)) return error;
  const options = { cause: describeCause(error) };
  // Timeouts first: APIConnectionTimeoutError is a kind of APIConnectionError.
  if (error instanceof APIConnectionTimeoutError || error instanceof APIUserAbortError) {
    const seconds = Math.max(1, Math.round(context.timeoutMs / 1000));
    return new ModelError(
      'timeout',
      `The assistant's model did not answer in time (${seconds} s per attempt, ${context.maxRetries + 1} attempts). Please try again. ${SAVED}`,
      options,
    );
  }
  if (error instanceof APIConnectionError) {
    return new ModelError(
      'server_error',
      `The assistant could not reach its model server. Please try again later; if this keeps happening, tell the site's maintainers. ${SAVED}`,
      options,
    );
  }
  if (error instanceof AuthenticationError) {
    return new ModelError(
      'invalid_api_key',
      `The assistant can't answer right now: the model provider rejected this site's AI key. The site's maintainers need to fix it (OPENAI_API_KEY). ${SAVED}`,
      options,
    );
  }
  if (error instanceof PermissionDeniedError) {
    return new ModelError(
      'invalid_api_key',
      `The assistant can't answer right now: this site's AI key is not allowed to use the model "${context.model}". The site's maintainers need to fix the key or OPENAI_MODEL. ${SAVED}`,
      options,
    );
  }
  if (error instanceof RateLimitError) {
    const isQuota = providerCode(error) === 'insufficient_quota';
    return new ModelError(
      'rate_limit_exceeded',
      isQuota
        ? `The assistant can't answer right now: this site's AI account has run out of quota. The site's maintainers need to top it up. ${SAVED}`
        : `The assistant is getting too many questions right now and was asked to slow down. Please try again in a minute. ${SAVED}`,
      options,
    );
  }
  if (error instanceof NotFoundError) {
    return new ModelError(
      'invalid_request',
      `The assistant can't answer right now: the model "${context.model}" is not available from the model provider. The site's maintainers need to fix OPENAI_MODEL. ${SAVED}`,
      options,
    );
  }
  if (error instanceof BadRequestError || error instanceof UnprocessableEntityError) {
    const isTooLong = providerCode(error) === 'context_length_exceeded';
    return new ModelError(
      'invalid_request',
      isTooLong
        ? `This conversation is too long for the assistant's model. Please start a new thread. ${SAVED}`
        : `The model provider refused the assistant's request. Please try again or start a new thread; if this keeps happening, tell the site's maintainers. ${SAVED}`,
      options,
    );
  }
  if (error instanceof InternalServerError || (error instanceof APIError && (error.status ?? 0) >= 500)) {
    return new ModelError(
      'server_error',
      `The assistant's model provider had an error${error.status ? ` (HTTP ${error.status})` : ''} and did not recover after ${context.maxRetries} ${context.maxRetries === 1 ? 'retry' : 'retries'}. Please try again in a moment. ${SAVED}`,
      options,
    );
  }
  return new ModelError('server_error', `The assistant ran into a problem while answering. Please try again. ${SAVED}`, options);
}

/**
 * What the logs keep of the SDK error: its kind, status, provider code and request id. Not the provider's
 * message, which can quote part of a rejected key, nor the response headers.
 */
function describeCause(error: unknown): unknown {
  if (!(error instanceof APIError)) return error;
  const details = [`status=${error.status ?? 'none'}`, `code=${providerCode(error) ?? 'none'}`, `request_id=${error.requestID ?? 'none'}`];
  const described = new Error([error.constructor.name, ...details].join(' '));
  described.name = error.constructor.name;
  return described;
}

/** The model answered, but with nothing usable (no text, no tool call, or no choices at all). */
export function emptyAnswerError(): ModelError {
  return new ModelError('server_error', `The assistant's model returned an empty answer. Please try again. ${SAVED}`);
}
