/**
 * The escape character of containsPattern's patterns; the query says `LIKE :pattern ESCAPE '!'`.
 * Not the backslash: its meaning in a string literal depends on the server's sql_mode
 * (NO_BACKSLASH_ESCAPES), and a backslash in a search must match itself.
 */
export const LIKE_ESCAPE = '!';

/**
 * A LIKE pattern that matches values containing `text` literally: `%`, `_` and the escape
 * character itself match only themselves. Bind it as a parameter, never into the SQL text.
 */
export function containsPattern(text: string): string {
  return `%${text.replace(/[!%_]/g, (character) => `${LIKE_ESCAPE}${character}`)}%`;
}
