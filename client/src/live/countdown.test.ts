import { describe, expect, it } from 'vitest';
import { aboutMinutes, ago, countOf, formatClock, formatLeft, formatSpan } from './countdown.ts';

describe('durations on the wall', () => {
  it('counts down to the second while a target runs', () => {
    expect(formatLeft(372_000)).toBe('6:12');
    expect(formatClock(372_000, true)).toBe('6:12');
    expect(formatClock(0, true)).toBe('0:00');
  });

  it('says how long past due in hours and minutes, not "+251:06"', () => {
    const overdue = -(4 * 3600 + 11 * 60 + 6) * 1000;
    expect(formatClock(overdue, true)).toBe('4小时11分');
    expect(formatClock(overdue, false)).toBe('4 h 11 min');
    expect(formatSpan(2 * 3600_000, true)).toBe('2小时');
    expect(formatSpan(12 * 60_000 + 59_000, true)).toBe('12分钟');
    expect(formatSpan(45_000, false)).toBe('45 s');
  });

  it('gives a trip time as about N minutes, rounded up', () => {
    expect(aboutMinutes(31 * 60 + 34, true)).toBe('约 32 分钟');
    expect(aboutMinutes(31 * 60 + 34, false)).toBe('about 32 min');
    expect(aboutMinutes(600, true)).toBe('约 10 分钟');
    expect(aboutMinutes(12, true)).toBe('约 1 分钟');
    expect(aboutMinutes(1140.3, true)).toBe('约 19 分钟');
  });
});

describe('ages in words', () => {
  it('says "1 minute ago" and "2 minutes ago", never "1 minago"', () => {
    expect(ago(90_000, false)).toBe('1 minute ago');
    expect(ago(150_000, false)).toBe('2 minutes ago');
    expect(ago(1_000, false)).toBe('1 second ago');
    expect(ago(12_000, false)).toBe('12 seconds ago');
    expect(ago(3_600_000, false)).toBe('1 hour ago');
    expect(ago(4 * 3_600_000 + 11 * 60_000, false)).toBe('4 hours ago');
  });

  it('says the same in Chinese with 前', () => {
    expect(ago(90_000, true)).toBe('1 分钟前');
    expect(ago(12_000, true)).toBe('12 秒前');
    expect(ago(2 * 3_600_000, true)).toBe('2 小时前');
  });

  it('counts English nouns', () => {
    expect(countOf(1, 'crew')).toBe('1 crew');
    expect(countOf(0, 'crew')).toBe('0 crews');
    expect(countOf(3, 'report')).toBe('3 reports');
  });
});
