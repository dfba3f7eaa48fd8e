from ratsuche.cli import main

main()
