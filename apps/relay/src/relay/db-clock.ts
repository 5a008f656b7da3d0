// Times are decided by the database clock in UTC, as in the other services: the rows hold
// UTC, and UTC_TIMESTAMP() does not depend on the session or server time zone the way NOW()
// does. Within one statement it is one instant, so every comparison of a statement agrees
// (an offer's expiry is checked by the same clock that wrote it).
export const DB_NOW = 'UTC_TIMESTAMP(3)';
