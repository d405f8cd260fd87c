BBBBBBB BBBBBBBBBBBBBBBBBBBBBBBBBBBBB
BBBB BBBB
BBBBB BBBBB
  XXX gettext(u"Licensed instruments are not part of Tandem. Keep only the result of a completed one: the instrument's name, the rating and a short summary, which is encrypted like every note. Attach no scanned forms.") XXXX
BBBBBBBB
