/**
 * What every store engine shares and callers never see: {@link clf.queue.internal.CheckedJobStore}
 * checks the contract's inputs in front of any engine; {@link clf.queue.internal.PageCursor} and
 * {@link clf.queue.internal.JsonText} are the keyset cursor and JSON check of the API's records.
 */
package clf.queue.internal;
