import sys

from handbok.cli.main import main

sys.exit(main())
