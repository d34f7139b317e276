import { FeedSource } from './mappers/feed-mapper';

/**
 * Which feed a file holds, judged from its first ~64 KB of text (a byte-order mark is allowed). The head is
 * usually cut mid-record, so this looks for the feeds' own key names instead of parsing JSON.
 */
export function detectFeedSource(head: string): FeedSource | undefined {
  const text = head.replace(/^\uFEFF/, '').trimStart();
  const hasKey = (key: string) => text.includes(`"${key}"`);

  if (text.startsWith('<')) return 'eu-safety-gate';
  if (text.startsWith('{')) {
    if (hasKey('NHTSACampaignNumber')) return 'nhtsa';
    if (hasKey('recall_number') || (hasKey('results') && hasKey('meta'))) return 'openfda';
    if (hasKey('results') && hasKey('Count')) return 'nhtsa';
    return undefined;
  }
  if (text.startsWith('[')) {
    if (hasKey('RecallNumber') || hasKey('RecallID')) return 'cpsc';
    if (hasKey('NID')) return 'health-canada';
    return undefined;
  }
  return undefined;
}
