from rightsmarker.cli import main

main()
