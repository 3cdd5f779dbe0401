import { describe, expect, it } from 'vitest';
import { idCheckChar } from './checks';
import { type RedactionHit, redact } from './redact';

const kinds = (hits: RedactionHit[]) => hits.map((h) => h.kind);

describe('redact: what gets masked', () => {
  it('masks a valid 18-digit ID number down to its first and last character', () => {
    const r = redact('我的身份证11010519491231002X办了三次');
    expect(r.text).toBe('我的身份证1****************X办了三次');
    expect(r.hits).toEqual([{ kind: 'id_card', start: 5, end: 23 }]);
  });

  it('masks an old 15-digit ID number', () => {
    expect(redact('老证号110105491231002').text).toBe('老证号1*************2');
  });

  it('masks phone, email and plate in one comment, keeping separators', () => {
    const text = '联系电话：138-1234-5678，邮箱zhang.san@example.com，车牌沪A·12345';
    const r = redact(text);
    expect(r.text).toBe('联系电话：138-****-5678，邮箱z********@example.com，车牌沪A·*****');
    expect(kinds(r.hits)).toEqual(['mobile', 'email', 'plate']);
    expect(r.hits.map((h) => text.slice(h.start, h.end))).toEqual([
      '138-1234-5678',
      'zhang.san@example.com',
      '沪A·12345',
    ]);
  });

  it('masks mobile numbers in their common spellings', () => {
    expect(redact('13800138000').text).toBe('138****8000');
    expect(redact('手机 138 1234 5678。').text).toBe('手机 138 **** 5678。');
    expect(redact('+86 138 1234 5678').text).toBe('+86 138 **** 5678');
    expect(redact('8613812345678').text).toBe('86138****5678');
    expect(redact('TEL13812345678').text).toBe('TEL138****5678');
  });

  it('masks full-width digits while keeping them full-width', () => {
    const r = redact('电话１３８１２３４５６７８');
    expect(r.text).toBe('电话１３８****５６７８');
    expect(r.hits).toEqual([{ kind: 'mobile', start: 2, end: 13 }]);
  });

  it('masks landlines but keeps the area code', () => {
    expect(redact('(021)62345678').text).toBe('(021)******78');
    expect(redact('021-62345678').text).toBe('021-******78');
    expect(redact('（０２１）６２３４５６７８').text).toBe('（０２１）******７８');
    expect(redact('0755-2345678').hits).toEqual([{ kind: 'landline', start: 0, end: 12 }]);
  });

  it('masks a Luhn-valid bank card, grouped or not, keeping the last four digits', () => {
    expect(redact('卡号6222 0212 3456 7890 128').text).toBe('卡号**** **** **** ***0 128');
    expect(redact('卡号6222021234567890128退款').text).toBe('卡号***************0128退款');
    expect(redact('4111111111111111').hits).toEqual([{ kind: 'bank_card', start: 0, end: 16 }]);
  });

  it('masks plates including new-energy ones', () => {
    expect(redact('粤BD12345违停').text).toBe('粤B******违停');
    expect(redact('京A 88888').text).toBe('京A *****');
  });

  it('masks every occurrence of the given person names', () => {
    const r = redact('张三来办事，张三说李四态度好', { personNames: ['张三', '李四', '王'] });
    expect(r.text).toBe('张*来办事，张*说李*态度好');
    expect(kinds(r.hits)).toEqual(['person_name', 'person_name', 'person_name']);
    expect(redact('欧阳娜娜', { personNames: [' 欧阳娜娜 '] }).text).toBe('欧***');
  });

  it('masks the whole local part of a one-character email', () => {
    expect(redact('a@qq.com').text).toBe('*@qq.com');
  });
});

describe('redact: what is left alone', () => {
  it.each([
    ['an ID number with a wrong check digit', '身份证110105194912310021'],
    ['an ID number with an impossible date', `身份证11010519491331002${idCheckChar('11010519491331002')}`],
    ['the 12345 hotline', '打了12345热线三次，拨打12345没人接'],
    ['a credit-code-like case number', '案号11310101MB2F45678931010002'],
    ['dates and times', '2024-09-30 14:30，2024年9月30日'],
    ['a date-stamped order number', '订单2024093012345678'],
    ['a mobile-shaped run inside a longer number', '流水00013812345678000000'],
    ['a card number failing Luhn', '6222 0212 3456 7890 123'],
    ['a word that looks like a plate', '京Airbus'],
    ['short numbers', '等了45分钟，排了第128号'],
  ])('leaves %s untouched', (_label, text) => {
    expect(redact(text)).toEqual({ text, hits: [] });
  });
});

describe('redact: overlaps and stability', () => {
  it('lets the longer match win: a QQ email is one email hit, not a mobile', () => {
    const r = redact('13812345678@qq.com');
    expect(r.text).toBe('1**********@qq.com');
    expect(kinds(r.hits)).toEqual(['email']);
  });

  it('counts a grouped card once even though a landline-shaped run sits inside it', () => {
    expect(kinds(redact('6222 0212 3456 7890 128').hits)).toEqual(['bank_card']);
  });

  it('repeats until stable when a dropped overlap leaves a visible match (glued emails)', () => {
    const r = redact('a@b.cnx_@c.cn');
    expect(r.text).toBe('a@b*****@c.cn');
    expect(r.hits).toEqual([{ kind: 'email', start: 2, end: 13 }]);
    expect(redact(r.text).text).toBe(r.text);
  });

  it('stays fast on long inputs', () => {
    const text = '好差评13812345678，'.repeat(5000) + '1'.repeat(50_000) + 'a.'.repeat(25_000);
    const started = performance.now();
    expect(redact(text).hits).toHaveLength(5000);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('is idempotent and length-stable on a realistic comment', () => {
    const text =
      '本人王小明，身份证11010519491231002X，手机138 1234 5678，座机(021)62345678，' +
      '邮箱wxm@163.com，车牌沪A·12345，卡号6222 0212 3456 7890 128，打12345没用。';
    const once = redact(text, { personNames: ['王小明'] });
    expect(once.text).toHaveLength(text.length);
    expect(kinds(once.hits)).toEqual([
      'person_name',
      'id_card',
      'mobile',
      'landline',
      'email',
      'plate',
      'bank_card',
    ]);
    expect(redact(once.text, { personNames: ['王小明'] })).toEqual({ text: once.text, hits: [] });
  });
});
