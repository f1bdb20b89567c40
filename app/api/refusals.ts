// How the app's routes answer a failure: each typed error of the domain
// (storage, file library, access, cross-site requests, runs, workshops) becomes an HttpRefusal with
// its status and API error code, answered through the one helper every service
// uses (notebook-model/http-edge.ts), so every refusal has the same JSON body.
// Anything else is a bug: logged, and answered 500 without its details.
import { NotFoundError, WorkshopLiveError } from '../../storage';
import { NotebookFormatError, ReplaceFailedError, UnsupportedFileError } from '../../library/notebook-files';
import { ReaderCommentRefused } from '../../library/reader-comment-refused';
import { HttpRefusal, refusalResponse } from '../../notebook-model/http-edge';
import { API_ERROR } from '../../notebook-model/service-protocol';
import { WorkshopForkRefusal } from '../server/workshop-forks';
import { AccessDeniedError } from './access';
import { CrossSiteRequestError } from './same-origin';

/** The refusal a domain error stands for, or undefined when it is not one a request can cause. */
export function refusalFor(err: unknown): HttpRefusal | undefined {
  if (err instanceof HttpRefusal) return err;
  if (err instanceof NotebookFormatError) return new HttpRefusal(422, err.message, { code: API_ERROR.invalidNotebook, details: { problems: err.problems } });
  if (err instanceof UnsupportedFileError) return new HttpRefusal(422, err.message, { code: API_ERROR.invalidNotebook });
  if (err instanceof NotFoundError) return new HttpRefusal(404, err.message, { code: API_ERROR.notFound });
  if (err instanceof AccessDeniedError) return new HttpRefusal(err.status, err.message);
  if (err instanceof CrossSiteRequestError) return new HttpRefusal(403, err.message);
  if (err instanceof ReplaceFailedError) {
    return new HttpRefusal(err.status === undefined ? 503 : 502, `Could not replace the notebook: ${err.message}`, { code: API_ERROR.serviceUnavailable });
  }
  if (err instanceof WorkshopLiveError) return new HttpRefusal(409, err.message, { code: API_ERROR.conflict });
  if (err instanceof WorkshopForkRefusal) return new HttpRefusal(err.status, err.message);
  if (err instanceof ReaderCommentRefused) return new HttpRefusal(err.status, err.message);
  return undefined;
}

/** The JSON response for any error a route meets; unexpected ones are logged and answered 500. */
export function errorResponse(err: unknown): Response {
  const refusal = refusalFor(err);
  if (refusal) return refusalResponse(refusal);
  console.error('web app: unexpected error in a route', err);
  return refusalResponse(new HttpRefusal(500, 'Something failed on the server; try again, and tell the administrator if it persists.', { code: API_ERROR.internal }));
}
