import sys

from tf_apigw_lint.cli import main

sys.exit(main())
