// A command-line mistake (unknown command or flag, a flag without its value): an InputError, so it exits
// with 2, but worded as a sentence about the command line rather than "input 'x': …".
import { InputError } from '../runtime/errors.js';

export class UsageError extends InputError {
  constructor(input: string, message: string) {
    super(input, message);
    this.message = message;
  }
}
