/**
 * A fixed time for the rate limits of tests that count up to a limit. With the wall clock, a
 * count that straddles the end of a window starts again at 0 and the expected 429 never comes
 * (a loaded CI machine took long enough for 31 reach questions to cross a minute). The moment
 * lies well inside its minute, 10- and 15-minute, hour and China Standard Time day windows:
 * 2026-04-01 04:07:30 UTC, 12:07:30 in Beijing.
 */
export const FIXED_RATE_TIME = Date.UTC(2026, 3, 1, 4, 7, 30);
export const fixedRateClock = () => FIXED_RATE_TIME;
