/** UI text: Chinese first (the county's own terms, domain.md), English as the toggle. */
export const messages = {
  'zh-CN': {
    'app.title': '森林防火挂图作战指挥平台',
    'app.county': '麻阳苗族自治县',
    'app.targets': '10分钟能到 · 20分钟能控 · 30分钟能灭',
    'map.label': '县域地图',
    'status.loading': '加载中…',
    'status.demoOutline': '县域轮廓(演示) · 尚未加载网格数据',
    'status.loaded': '县域数据已加载',
    'status.error': '无法连接服务器',
    'status.backend.embedded': '内置数据库',
    'status.backend.server': 'PostGIS 服务器',
    'lang.switch': 'EN',
  },
  en: {
    'app.title': 'Forest-Fire Grid Command',
    'app.county': 'Mayang Miao Autonomous County',
    'app.targets': 'Arrive ≤10 min · Control ≤20 · Extinguish ≤30',
    'map.label': 'County map',
    'status.loading': 'Loading…',
    'status.demoOutline': 'County outline (demo) · grid data not loaded yet',
    'status.loaded': 'County data loaded',
    'status.error': 'Cannot reach the server',
    'status.backend.embedded': 'embedded database',
    'status.backend.server': 'PostGIS server',
    'lang.switch': '中文',
  },
} as const;

export type Locale = keyof typeof messages;
export type MessageKey = keyof (typeof messages)['zh-CN'];
