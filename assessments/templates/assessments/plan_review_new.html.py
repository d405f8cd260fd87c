BBBBBBB BBBBBBBBBBBBBBBBBBBBBBBBBBBBB
BBBB BBBB
BBBBB BBBBB
  XXX gettext(u'A plan review looks at the plan again after an assessment: which needs remain, which goals change.') XXXX
BBBBBBBB
