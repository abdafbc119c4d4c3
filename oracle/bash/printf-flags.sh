# printf's flags with %g and %s: sign, space, zeros, left, alternate form
printf '[%10g][% g][%+g][% G][%010g][%-10g]\n' 1 2 3 -4 5 6
printf '[%10.3g][%-+8g][% 08.2G][%#g][%g]\n' 1.23456 2 -3.5 4 1e300
printf '[% s][%+s][%0s][%#s][%-3s]\n' a b c d e
printf '[%+5d][% d][%-5d|][%05d]\n' 1 2 3 -4
printf '[%05s][%-05s][% 5s][%+5s][%#5s][%.1s][%5b][% c]\n' ab cd ef gh ij kl mn op
