/**
 * A question `pbi ask` will not answer: it says why and offers the nearest forms it understands
 * (never a guess). INVALID_INPUT in the one error table: HTTP 400, exit code 1.
 */
import { ValidationError } from '../../domain/errors.js';

export class QuestionRefusedError extends ValidationError {
  /** Questions of the forms understood, closest to what was asked. */
  readonly suggestions: readonly string[];

  /**
   * True when the question was understood and what it asks is impossible (a number outside every
   * era, a date before 1992): a language model would not change the answer. False for a question
   * that was not understood or was ambiguous.
   */
  readonly understood: boolean;

  constructor(message: string, reason: string, suggestions: readonly string[] = [], understood = false) {
    super(message, [{ where: 'question', reason }, ...suggestions.map((s) => ({ where: 'try', reason: s }))]);
    this.suggestions = suggestions;
    this.understood = understood;
  }

  override toJSON(): ReturnType<ValidationError['toJSON']> & { suggestions: readonly string[] } {
    return { ...super.toJSON(), suggestions: this.suggestions };
  }
}
