BBBBBBB BBBBBBBBBBBBBBBBBBBBBBBBBBBBB
BBBB BBBB
BBBBB BBBBB
  XXX gettext(u"The computed level was “%(level)s” (score %(score)s); it is advisory and stays as it was. The final rating you record here counts and sets the case's risk level if this is the latest assessment.") SSS SSSSSSSS SSSSS SSS SSSSSSSSSSS SSSSSS SSSSSSSSSSS SS SS SSSSSSSS SSS SSSSS SS SS SSSS SSS SSSSS SSSSSS SSS SSSSSS SSSS SSSSSS SSS SSSS SSS SSSSSS SSSS SSSSS SS SSSS SS SSS SSSSSS SSSSSSSSSSSXXXX
BBBBBBBB
