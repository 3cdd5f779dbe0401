import { describe, expect, it } from 'vitest';
import { needsModeration, SensitiveWords } from './sensitive-words';

const words = new SensitiveWords(['假冒', 'fake', '办证', 'ＶＰＮ']);

describe('SensitiveWords', () => {
  it('finds every occurrence with positions in the original text', () => {
    expect(words.find('这是假冒的，还是假冒')).toEqual([
      { word: '假冒', start: 2, end: 4 },
      { word: '假冒', start: 8, end: 10 },
    ]);
  });

  it('is case-insensitive for Latin and folds full-width characters', () => {
    expect(words.find('totally FAKE stuff')).toEqual([{ word: 'fake', start: 8, end: 12 }]);
    expect(words.find('用vpn翻墙')).toEqual([{ word: 'ＶＰＮ', start: 1, end: 4 }]);
    expect(words.find('ｆａｋｅ')).toHaveLength(1);
  });

  it('sees through separators slipped between characters', () => {
    expect(words.find('假·冒产品')).toEqual([{ word: '假冒', start: 0, end: 3 }]);
    expect(words.find('代 办 证')).toEqual([{ word: '办证', start: 2, end: 5 }]);
    expect(words.find('this is f a k e')).toEqual([{ word: 'fake', start: 8, end: 15 }]);
    expect(words.find('f.a.k.e!')).toHaveLength(1);
  });

  it('does not join real Latin words or match inside a longer word', () => {
    expect(words.find('one of a keen crowd')).toEqual([]);
    expect(words.find('fakery and unfaked')).toEqual([]);
  });

  it('ignores empty words and reports nothing for clean text', () => {
    expect(new SensitiveWords(['', ' · ']).find('任何文字')).toEqual([]);
    expect(words.find('窗口服务很好，十分钟办完')).toEqual([]);
  });
});

describe('needsModeration', () => {
  it('flags text hitting the list, with a word list or a prebuilt matcher', () => {
    expect(needsModeration('有人在门口办 证', ['办证'])).toBe(true);
    expect(needsModeration('服务很好', words)).toBe(false);
  });
});
