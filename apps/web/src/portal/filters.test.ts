import { describe, expect, it } from 'vitest';
import { filtersToApi, filtersToQuery, hasFilters, NO_FILTERS, parseFilters } from './filters';
import { atomFeedUrl, csvExportUrl } from './portal-api';

describe('parseFilters', () => {
  it('reads every filter from the route query', () => {
    const f = parseFilters({
      q: '排队',
      class: 'bad',
      channel: 'window_pad',
      replied: 'false',
      ticketState: 'open',
      from: '2024-09-01',
      to: '2024-09-30',
    });
    expect(f).toEqual({
      q: '排队',
      class: 'bad',
      channel: 'window_pad',
      replied: 'false',
      ticketState: 'open',
      from: '2024-09-01',
      to: '2024-09-30',
    });
  });

  it('drops malformed values instead of failing, and takes the first of repeated keys', () => {
    const f = parseFilters({
      class: 'meh',
      channel: 'fax',
      replied: 'yes',
      ticketState: 'lost',
      from: '2024-9-1',
      to: ['2024-10-01', '2024-10-02'],
      q: null,
    });
    expect(f).toEqual({ ...NO_FILTERS, to: '2024-10-01' });
    expect(parseFilters({ ticketState: 'rectifying' }).ticketState).toBe('rectifying');
  });

  it('cuts a search text longer than the API accepts', () => {
    expect(parseFilters({ q: 'x'.repeat(80) }).q).toHaveLength(50);
  });
});

describe('filtersToQuery and filtersToApi', () => {
  it('round-trips through the URL, leaving empty filters out', () => {
    const f = { ...NO_FILTERS, class: 'good' as const, q: '  窗口 ', from: '2024-01-01' };
    const query = filtersToQuery(f);
    expect(query).toEqual({ class: 'good', q: '窗口', from: '2024-01-01' });
    expect(parseFilters(query as Record<string, string>)).toEqual({ ...f, q: '窗口' });
    expect(filtersToQuery(NO_FILTERS)).toEqual({});
    expect(hasFilters(NO_FILTERS)).toBe(false);
    expect(hasFilters(f)).toBe(true);
  });

  it('turns filters into API values within a scope', () => {
    const api = filtersToApi(
      { ...NO_FILTERS, replied: 'false', ticketState: 'open', q: '慢' },
      { unit: '310101' },
    );
    expect(api).toMatchObject({ unit: '310101', replied: false, ticketState: 'open' });
    // One character is too short to search: it is left out rather than refused by the server.
    expect(api.q).toBeUndefined();
    expect(filtersToApi({ ...NO_FILTERS, q: ' 很慢 ', replied: 'true' })).toMatchObject({
      q: '很慢',
      replied: true,
    });
  });
});

describe('export links', () => {
  it('puts the filters on the CSV link without the paging fields', () => {
    expect(csvExportUrl({ unit: '310101', class: 'bad', replied: false, limit: 10, cursor: 'abc' })).toBe(
      '/api/v1/public/evaluations.csv?unit=310101&class=bad&replied=false',
    );
    expect(csvExportUrl({})).toBe('/api/v1/public/evaluations.csv');
    expect(atomFeedUrl('310101 x')).toBe('/api/v1/public/units/310101%20x/feed.atom');
  });
});
