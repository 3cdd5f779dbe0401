/**
 * Phrases for the demo activity (demo-activity.ts): what applicants write with their ratings, and
 * what units and the supervising office write in the closed loop. Invented, short and varied; the
 * plan combines them with the item's name and a closing so that few comments repeat word for word.
 */

/** Good (4–5 stars) comments on online channels. */
export const GOOD_ONLINE = [
  '网上申请很方便，材料一次上传就通过了',
  '全程网办，不用跑腿',
  '提交后第二天就办结了，效率很高',
  '操作指引清楚，几分钟就填完了',
  '办理进度随时能查，心里有底',
  '电子证照直接调用，省了复印材料',
  '审核很快，短信提醒也及时',
  '办事指南写得很清楚，一看就懂',
  '一网通办越来越好用了',
  '在手机上就办好了，给个好评',
  '智能客服回答得挺准确',
  '表单能自动带出信息，少填了很多',
  '晚上下班后也能申请，很人性化',
  '材料有问题时客服主动打电话指导',
];

/** Good (4–5 stars) comments at a window. */
export const GOOD_OFFLINE = [
  '窗口工作人员态度很好，耐心解答',
  '一次告知清楚，一趟就办好了',
  '取号后等了不到十分钟',
  '工作人员主动帮忙填表，非常感谢',
  '帮办代办很贴心，老人办事方便多了',
  '大厅环境整洁，引导清楚',
  '工作人员很专业，材料问题当场指出',
  '周末也能办，方便上班族',
  '比以前快多了',
  '收件、审核、出证一条龙，效率高',
  '导办员全程陪同，很快就办完了',
  '材料不全，工作人员容缺受理，后补就行',
  '现场就拿到了证件',
  '窗口还提供免费复印，很周到',
];

/** Comments with 3 stars (基本满意): satisfied, with a reservation. */
export const FAIR = [
  '等候时间有点长，总体还可以',
  '流程还可以再简化',
  '系统有点慢，等了一会儿',
  '材料要求和网上说的略有出入，总体还行',
  '窗口人少，排队较久',
  '办好了，就是停车不太方便',
  '页面有点卡，但最后提交成功了',
  '需要补一次材料，还算顺利',
];

/** Closings of good comments, and of the others. */
export const CLOSINGS = ['', '', '', '，谢谢！', '，点赞。', '，希望继续保持。', '。', '，满意。'];
export const FAIR_CLOSINGS = ['', '', '。'];
export const BAD_CLOSINGS = ['', '。', '！'];

/** Openings that name the item (`{item}`), for some comments. */
export const OPENINGS = {
  online: ['在网上办理{item}，', '第一次用随申办办{item}，', '用手机申请的{item}，', '办理{item}，'],
  offline: ['今天来办{item}，', '帮家里老人办理{item}，', '上午来办{item}，', '来窗口办理{item}，'],
};

/** Second remarks added to some good comments. */
export const GOOD_EXTRAS = {
  online: ['进度查询也很方便', '短信提醒很及时', '不用再跑窗口了', '页面引导清楚', '电子材料可以复用'],
  offline: ['大厅环境也不错', '引导员很热情', '取号很快', '材料一次就过了', '比预想的快', '有免费的复印机'],
};

/** Second remarks added to some bad comments. */
export const BAD_EXTRAS = ['希望改进', '很失望', '浪费了半天时间', '希望有人管一管', '请给个说法'];

/** Bad-rating comments by reason code of the rating catalogue (version 2021.1). */
export const BAD_BY_REASON: Record<string, readonly string[]> = {
  attitude_not_proactive: [
    '窗口工作人员态度冷淡，问了几遍才回答',
    '工作人员一直在看手机，爱理不理',
    '咨询问题时很不耐烦',
  ],
  slow_passing_buck: [
    '几个窗口互相推，说不是他们管的',
    '说要请示领导，让我下周再来',
    '打了好几个电话，每个部门都说找别人',
  ],
  discipline: ['上班时间窗口人员聊天，让群众干等', '还没到下班时间就停止取号了'],
  not_competent: ['工作人员对政策不熟悉，说法前后不一致', '新来的工作人员不会操作系统，折腾了一个小时'],
  not_told_at_once: [
    '第一次来没说清楚要带什么，又跑了一趟',
    '前后来了三次，每次都说缺一份材料',
    '电话咨询时说材料齐了，到现场又要补',
  ],
  window_unattended: ['下午两点窗口没人，等了四十分钟', '午休时间过了还没人回来'],
  extra_materials: ['要求提供办事指南上没有的证明', '让我开一份居委会的证明，指南里根本没写'],
  process_differs: ['网上写的全程网办，结果还要到现场签字', '实际流程和办事指南说的不一样'],
  time_limit_missed: ['承诺5个工作日，过了两周还没办好', '超过承诺时限也没人通知我'],
  multiple_departments: ['在两个部门之间来回跑了三趟', '这边让去社保，社保又让回这边'],
  obvious_error: ['证件上的名字打错了，又得重新办', '办结通知里的信息是错的'],
  refusal_without_reason: ['不给办理也不说原因', '材料齐全却说办不了，也不给书面答复'],
  other: ['系统一直报错，提交不了', '网上提交后一直显示审核中，打电话也没人接'],
};

/** What the unit found and did, by reason code, for its public reply and its rectification record. */
export const FIX_BY_REASON: Record<string, { reply: string; rectify: string }> = {
  attitude_not_proactive: {
    reply: '我们已对当班工作人员进行批评教育，并在全中心开展服务规范专题培训。',
    rectify: '已组织窗口人员服务礼仪培训，推行首问负责和微笑服务，服务态度纳入月度考核。',
  },
  slow_passing_buck: {
    reply: '我们已落实首问负责制，此类事项由综合窗口一口受理、内部流转。',
    rectify: '已梳理易推诿事项清单，明确牵头窗口，由综合窗口统一受理、后台流转。',
  },
  discipline: {
    reply: '已按规定对相关人员作出处理，并加强窗口纪律巡查。',
    rectify: '已建立每日巡查和考勤通报制度，取号时间按公示时间严格执行。',
  },
  not_competent: {
    reply: '已安排业务骨干对该岗位人员进行一对一带教。',
    rectify: '已完成岗位业务培训和考试，新上岗人员实行师徒带教，考核合格方可独立上岗。',
  },
  not_told_at_once: {
    reply: '我们已修订一次性告知单，并在取号时同步推送材料清单。',
    rectify: '已修订一次性告知单，材料清单通过短信在取号时推送，咨询答复统一口径。',
  },
  window_unattended: {
    reply: '已调整午间轮岗安排，确保工作时间窗口不空岗。',
    rectify: '已实行午间弹性轮岗，窗口离岗须放置提示牌并由邻近窗口代为受理。',
  },
  extra_materials: {
    reply: '经核查，该证明不属于办事指南要求的材料，已取消并通报全体窗口人员。',
    rectify: '已清理指南外材料要求，全体窗口按办事指南收件，不得要求额外证明。',
  },
  process_differs: {
    reply: '已与业务部门核对办理流程，并更新网上办事指南。',
    rectify: '已更新办事指南和网上申报页面，线上线下流程保持一致。',
  },
  time_limit_missed: {
    reply: '已督促业务科室加快办理，您的事项已于近日办结。',
    rectify: '已建立临期预警，承诺时限前两个工作日提醒经办人，超期事项纳入考核。',
  },
  multiple_departments: {
    reply: '已建立部门协同机制，此类事项改为一窗受理、并联办理。',
    rectify: '已与相关部门签订协同办理约定，实行一窗受理、内部流转、统一出件。',
  },
  obvious_error: {
    reply: '已为您重新制证并当面送达，同时完善了出证前复核环节。',
    rectify: '已增设出证前双人复核，错误证件当日重新制作并免费邮寄。',
  },
  refusal_without_reason: {
    reply: '已向您书面说明依据，并指导补正材料后重新受理。',
    rectify: '已规定不予受理须出具书面告知书，写明依据和补正方式。',
  },
  other: {
    reply: '已协调技术部门排查系统故障，目前已恢复正常。',
    rectify: '已完成系统升级并增加故障监测，故障期间可到窗口现场办理。',
  },
};

/** How a public reply starts and ends (公开回复). */
export const REPLY_OPENINGS = [
  '您好！感谢您对我们工作的监督。',
  '您好，收到您的评价后我们高度重视。',
  '感谢您的反馈！',
];
export const REPLY_FINDINGS = [
  '经调取窗口录像并与当班工作人员核实，您反映的情况属实。',
  '经核实，您反映的问题确实存在。',
  '经与您电话沟通并调查，情况基本属实。',
];
export const REPLY_CLOSINGS = [
  '给您带来不便，我们深表歉意。如有疑问，欢迎拨打12345市民服务热线。',
  '再次向您致歉，欢迎继续监督我们的工作。',
  '由此给您带来的不便，敬请谅解。',
];

/** The reply on the 解释说明 path: the demand had no basis, explained with courtesy. */
export const EXPLANATIONS = [
  '您好！经核实，该事项依照相关规定需由申请人本人到场核验身份，窗口要求符合规定。我们已安排专人向您详细解释，并可提供预约办理服务。',
  '您好！经核实，您提交的材料不符合法定受理条件，窗口不予受理并无不当。我们已向您说明补正方式，欢迎补正后再次申请。',
  '您好！经核实，该事项的办理时限为法定时限，未超期。我们理解您的急切心情，已为您开通进度查询提醒。',
];

/** The unit's note on first contact (核实). */
export const CONTACT_NOTES = [
  '已电话联系申请人，核实情况属实，并当面致歉。',
  '已与申请人电话沟通，了解具体诉求。',
  '首次电话未接通，已发送短信，次日再次联系并核实情况。',
  '已联系申请人并调取窗口录像核实。',
];

/** A plan for 限期整改. */
export const PLANS = [
  '调整窗口排班并增设午间值班岗，两周内完成。',
  '修订办事指南并组织全员培训，本月内完成。',
  '与业务部门协调流程改造，系统上线后完成整改。',
];

/** The second rectification, after a bad re-rating (二次整改). */
export const RECTIFY_AGAIN = [
  '二次整改：中心负责人约谈窗口负责人，专人跟踪申请人事项直至办结，并再次回访。',
  '二次整改：已为申请人开通绿色通道，当日办结，相关人员调离窗口岗位。',
];

/** Appeals (申诉), by reason. */
export const APPEALS = {
  malicious: [
    '经调取监控录像，申请人因个人诉求未满足在同一时段连续差评，评价内容与事实不符。',
    '申请人要求违规办理未果后给出差评，有录音录像为证。',
  ],
  mistaken: [
    '申请人来电表示误点了“非常不满意”，实际对服务满意，已提供通话录音。',
    '申请人在评价器上误操作，当场向工作人员说明，有录像为证。',
  ],
} as const;

/** The supervising office's notes. */
export const SUPERVISOR_NOTES = {
  uphold: ['经核查录像和通话记录，申诉理由成立，予以支持。', '申诉材料充分，同意撤销该差评的统计。'],
  reject: ['申诉理由不充分，请按期完成回复和整改。', '现有材料不能证明恶意差评，申诉不予支持。'],
  signOff: ['解释说明依据充分，同意。', '经审核，解释说明符合规定，同意进入回访。'],
  rejectExplanation: ['解释说明不能替代整改，请制定整改措施并按期完成。', '依据不足，请限期整改。'],
  escalate: ['该工单已超期，请于今日内完成办理并报送情况。', '请单位负责人督促，两日内办结。'],
} as const;

/** Re-ratings (二次评价) after the fix. */
export const REVISIT_GOOD = ['问题已经解决，谢谢回访', '整改后确实好多了', '态度诚恳，处理及时', ''];
export const REVISIT_BAD = ['问题还是没有解决', '只是打了个电话，实际没有改进', '答复敷衍'];

/**
 * Comments with personal data, so that redaction is visible on the portal: `{phone}`, `{id}`,
 * `{name}` (the applicant) and `{staff}` (the staff member) are filled in from the case.
 */
export const WITH_PERSONAL_DATA = {
  phone: '办完说会有人回电，我的电话{phone}，请尽快联系我',
  id: '系统提示身份证号{id}核验不通过，跑了两趟才办好',
  name: '我是{name}，特别感谢窗口工作人员的帮助',
  staff: '感谢{staff}老师，讲解得非常细致',
} as const;

/**
 * Words the demo adds to the sensitive-word list (敏感词), and comments that hit them, so that the
 * moderation queue has items.
 */
export const DEMO_SENSITIVE_WORDS = ['骗子', '黑幕', '废物'];
export const SENSITIVE_COMMENTS = [
  '窗口的人就是骗子，收了材料不办事',
  '这里面肯定有黑幕，凭什么别人能办我不能办',
  '什么废物系统，天天报错',
];

/** Parts of company names for applicants that are organisations. */
export const COMPANY_PARTS = {
  stem: ['恒信', '华鼎', '申达', '锦程', '东浩', '沪联', '新元', '嘉禾', '盛安', '凯瑞', '金桥', '润泽'],
  trade: ['贸易', '科技', '餐饮管理', '建筑工程', '物流', '文化传媒', '信息咨询', '医疗器械'],
};
