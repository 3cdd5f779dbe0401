/**
 * Shanghai's 16 districts (real GB/T 2260 codes) and their streets and towns (街道/镇/乡) for the
 * demo catalogue. The street and town names are real as of the early 2020s, to the best of the
 * author's knowledge; development zones with street powers (e.g. 莘庄工业区, 菊园新区) are left out.
 * Their 9-digit division codes are synthetic (see demo-units.ts), not the official ones.
 */

/** One district with its streets/towns in a stable order (街道 first, then 镇, then 乡). */
export interface DemoDistrict {
  code: string;
  name: string;
  streets: readonly string[];
}

/** Expands short names: 'X' → 'X街道'; names already ending in 街道/镇/乡 are kept. */
function streets(names: string): string[] {
  return names.split(' ').map((n) => (/(街道|镇|乡)$/.test(n) ? n : `${n}街道`));
}

/** The 16 districts of Shanghai with their streets and towns (216 in all). */
export const DEMO_DISTRICTS: readonly DemoDistrict[] = [
  {
    code: '310101',
    name: '黄浦区',
    streets: streets('南京东路 外滩 半淞园路 小东门 豫园 老西门 五里桥 打浦桥 淮海中路 瑞金二路'),
  },
  {
    code: '310104',
    name: '徐汇区',
    streets: streets(
      '天平路 湖南路 斜土路 枫林路 长桥 田林 虹梅路 康健新村 徐家汇 凌云路 龙华 漕河泾 华泾镇',
    ),
  },
  {
    code: '310105',
    name: '长宁区',
    streets: streets('华阳路 江苏路 新华路 周家桥 天山路 仙霞新村 虹桥 程家桥 北新泾 新泾镇'),
  },
  {
    code: '310106',
    name: '静安区',
    streets: streets(
      '江宁路 石门二路 南京西路 静安寺 曹家渡 天目西路 北站 宝山路 共和新路 大宁路 彭浦新村 临汾路 芷江西路 彭浦镇',
    ),
  },
  {
    code: '310107',
    name: '普陀区',
    streets: streets('曹杨新村 长风新村 长寿路 甘泉路 石泉路 宜川路 万里 真如镇街道 长征镇 桃浦镇'),
  },
  {
    code: '310109',
    name: '虹口区',
    streets: streets('欧阳路 曲阳路 广中路 嘉兴路 凉城新村 四川北路 北外滩 江湾镇街道'),
  },
  {
    code: '310110',
    name: '杨浦区',
    streets: streets('定海路 平凉路 江浦路 四平路 控江路 长白新村 延吉新村 殷行 大桥 五角场 新江湾城 长海路'),
  },
  {
    code: '310112',
    name: '闵行区',
    streets: streets('江川路 古美 新虹 浦锦 莘庄镇 七宝镇 颛桥镇 华漕镇 虹桥镇 梅陇镇 吴泾镇 马桥镇 浦江镇'),
  },
  {
    code: '310113',
    name: '宝山区',
    streets: streets('友谊路 吴淞 张庙 罗店镇 大场镇 杨行镇 月浦镇 罗泾镇 顾村镇 高境镇 庙行镇 淞南镇'),
  },
  {
    code: '310114',
    name: '嘉定区',
    streets: streets('新成路 真新 嘉定镇街道 南翔镇 安亭镇 马陆镇 徐行镇 华亭镇 外冈镇 江桥镇'),
  },
  {
    code: '310115',
    name: '浦东新区',
    streets: streets(
      '潍坊新村 陆家嘴 周家渡 塘桥 上钢新村 南码头路 沪东新村 金杨新村 洋泾 浦兴路 东明路 花木 ' +
        '川沙新镇 高桥镇 北蔡镇 合庆镇 唐镇 曹路镇 金桥镇 高行镇 高东镇 张江镇 三林镇 惠南镇 ' +
        '周浦镇 新场镇 大团镇 康桥镇 航头镇 祝桥镇 泥城镇 宣桥镇 书院镇 万祥镇 老港镇 南汇新城镇',
    ),
  },
  {
    code: '310116',
    name: '金山区',
    streets: streets('石化 朱泾镇 枫泾镇 张堰镇 亭林镇 吕巷镇 廊下镇 金山卫镇 漕泾镇 山阳镇'),
  },
  {
    code: '310117',
    name: '松江区',
    streets: streets(
      '岳阳 永丰 方松 中山 广富林 九里亭 泗泾镇 佘山镇 车墩镇 新桥镇 洞泾镇 九亭镇 泖港镇 石湖荡镇 新浜镇 叶榭镇 小昆山镇',
    ),
  },
  {
    code: '310118',
    name: '青浦区',
    streets: streets('夏阳 盈浦 香花桥 朱家角镇 练塘镇 金泽镇 赵巷镇 徐泾镇 华新镇 重固镇 白鹤镇'),
  },
  {
    code: '310120',
    name: '奉贤区',
    streets: streets('西渡 奉浦 金海 南桥镇 奉城镇 庄行镇 金汇镇 四团镇 青村镇 柘林镇 海湾镇'),
  },
  {
    code: '310151',
    name: '崇明区',
    streets: streets(
      '城桥镇 堡镇 新河镇 庙镇 竖新镇 向化镇 三星镇 港沿镇 中兴镇 陈家镇 绿华镇 港西镇 建设镇 新海镇 东平镇 长兴镇 新村乡 横沙乡',
    ),
  },
];
