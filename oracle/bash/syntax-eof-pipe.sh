echo start |

