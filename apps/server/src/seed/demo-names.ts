/**
 * Word lists for demo people and community names. Invented combinations only: no real person is
 * meant, and community names are assembled from common place-name parts.
 */

// The lists are typed by hand; de-duplicating keeps the odds even if a character slips in twice.
function unique(chars: string): string[] {
  return [...new Set(chars)];
}

/** Common surnames, roughly by frequency in Shanghai (more weight to the first ones). */
export const SURNAMES: readonly string[] = unique(
  '张王陈李徐周朱沈陆顾吴刘杨黄钱孙胡金高姚施蒋曹赵唐许郭马严何袁范汪俞倪邱薛龚丁夏' +
    '潘戴宋林程叶杜邵盛方冯吕傅季卢蔡谢秦孔郑毛韩石彭梁庄缪汤陶贺姜殷葛任郁瞿倪尤',
);

/** Compound surnames (复姓), used now and then to exercise masking of longer names. */
export const COMPOUND_SURNAMES: readonly string[] = ['欧阳', '司马', '上官', '诸葛', '东方', '慕容'];

/** Characters used in given names. */
export const GIVEN_CHARS: readonly string[] = unique(
  '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅建国文辉力宇浩然欣怡晨晓' +
    '佳琪雪婷倩颖慧嘉俊凯鹏飞斌鑫海燕萍琳瑜雯蕾洁瑞峰宏志伟彬波旭东昊宁天思雨佩君' +
    '立新春秋冬晴逸轩子涵梓睿诗语嘉怡一鸣振宇泽楠蓉莉菁珺玮晔昱隽骏勤诚信礼智恒永',
);

/** First parts of residential-committee names (居委). */
export const NEIGHBOURHOOD_PARTS: readonly string[] = (
  '金杨 梅园 东昌 春江 香山 枫林 康乐 长乐 华山 南阳 福州 宁海 复兴 建国 新昌 瑞金 ' +
  '永嘉 安福 武康 延庆 中山 光明 和平 幸福 振兴 友谊 团结 解放 文化 东方 阳光 明珠 ' +
  '锦绣 翠湖 碧云 丽都 晶华 华府 嘉苑 紫藤 桂林 海棠 玉兰 樱花 松柏 青松 翠竹 绿洲 ' +
  '滨江 临江 望江 江南 海港 浦江 泰山 华夏 天山 玉泉 白玉 清涧 曲阳 凉城 控江 鞍山 ' +
  '延吉 长白 四平 殷行 国和 政立 民星 三门 仁德 顺德 宝华 长江 黄河 淮海 松花 黄山'
).split(' ');

/** Second parts of residential-committee names; empty means the first part stands alone. */
export const NEIGHBOURHOOD_SUFFIXES: readonly string[] = [
  '',
  '新村',
  '花园',
  '苑',
  '小区',
  '家园',
  '公寓',
  '坊',
  '里',
  '城',
  '湾',
  '居',
  '一村',
  '二村',
  '三村',
];

/** Village-name stems (村): plain rural place-name syllables. */
export const VILLAGE_PARTS: readonly string[] = [
  '陈家',
  '张桥',
  '新建',
  '红星',
  '联合',
  '永丰',
  '胜利',
  '东风',
  '前进',
  '先锋',
  '建新',
  '民主',
  '跃进',
  '光辉',
  '友好',
  '五星',
  '金星',
  '新丰',
  '长胜',
  '勤俭',
  '同心',
  '三联',
  '新港',
  '沈家',
  '王家',
  '朱家',
  '徐庄',
  '李宅',
  '钱桥',
  '姚庄',
  '北桥',
  '南港',
  '西林',
  '东滩',
  '汤巷',
  '石桥',
  '杨湾',
  '横泾',
  '黄渡',
  '塘口',
  '桃园',
  '竹林',
  '荷花',
  '秀浦',
  '新河',
  '利民',
  '富民',
  '兴隆',
];

/** Chinese ordinals for numbered committees ('金杨新村第三居民委员会'). */
export const ORDINALS: readonly string[] = Array.from('一二三四五六七八九十');
