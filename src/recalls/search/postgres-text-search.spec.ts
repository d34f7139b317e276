import { searchedYears, yearToken } from './postgres-text-search';

describe('searchedYears', () => {
  const today = new Date('2026-11-25T12:00:00Z');

  it('slices back from this year', () => {
    expect(searchedYears({}, today, 8)).toEqual({ newest: 2026, oldest: 2019 });
  });

  it('starts at the end of the requested range and stops at its start', () => {
    expect(searchedYears({ from: '2012-05-01', to: '2015-06-30' }, today, 8)).toEqual({ newest: 2015, oldest: 2012 });
    expect(searchedYears({ to: '2015-06-30' }, today, 8)).toEqual({ newest: 2015, oldest: 2008 });
    expect(searchedYears({ from: '2024-01-01' }, today, 8)).toEqual({ newest: 2026, oldest: 2024 });
  });

  it('never starts after this year, whatever the range asks', () => {
    expect(searchedYears({ to: '2099-12-31' }, today, 3)).toEqual({ newest: 2026, oldest: 2024 });
  });

  it('never slices before year 1, for a range that ends in the first years', () => {
    expect(searchedYears({ to: '0003-06-30' }, today, 8)).toEqual({ newest: 3, oldest: 1 });
  });

  it('slices nothing for a range that ends before it starts', () => {
    const { newest, oldest } = searchedYears({ from: '2020-01-01', to: '2010-01-01' }, today, 8);
    expect(oldest).toBeGreaterThan(newest);
  });
});

describe('yearToken', () => {
  it('cannot be spelled by a query word (a-z0-9 only)', () => {
    expect(yearToken(2024)).toBe('~2024');
    expect(/^[a-z0-9]+$/.test(yearToken(2024))).toBe(false);
  });
});
